"""Files the site offers for download: the tracker as CSV and XLSX, calendar files."""
