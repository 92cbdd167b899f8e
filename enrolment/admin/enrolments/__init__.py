"""The enrolments screens: listing, actions, bulk review, spreadsheet import."""
