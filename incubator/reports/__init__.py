"""Reports: PDF scorecards (and, later, cohort reports) rendered with WeasyPrint."""
