"""The children's school sponsorships: schools, sponsors, sponsorships, places, reports, funding."""
