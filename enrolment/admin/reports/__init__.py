"""The coordinators' reports for funders and the board: /admin/reports/impact/."""
