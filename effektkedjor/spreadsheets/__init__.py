"""Effect chains in spreadsheets (xlsx and csv), in and out.

- `reading.py`: an uploaded file → a clean table of lines with known columns, or a
  Swedish message saying why it cannot be read;
- `importing.py`: that table → what importing it into an area would do, line by line
  (django-import-export's dry run); services/imports.py confirms it for real;
- `exporting.py`: rows and status reports → spreadsheet lines (django-import-export
  resources), with formulas neutralised.
"""
