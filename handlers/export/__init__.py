"""The XLSX workbook (xuất báo cáo): reports, evidence index and, when allowed, the youth list."""
