"""The weekly digest (bản tin tuần) for the district standing committee: figures, text, chart."""
