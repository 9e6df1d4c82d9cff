"""The "Đoàn cơ sở 3 chủ động" scorecard: rules as data, figures in SQL, text, chart, workbook."""
