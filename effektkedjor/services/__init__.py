"""Every write of the application, one keyword-only, typed, atomic function each.

Views, the admin, the import and the task worker write only through these functions;
each records exactly one history entry per changed object (django-simple-history), with
the signed-in user as author (HistoryRequestMiddleware).

- `rows.py`: chain rows (save with organisations and effects, delete, move)
- `effects.py`: long-term effects (save, delete)
- `reports.py`: status reports, closing and reopening periods, ordering a large PDF
- `imports.py`: staging an uploaded spreadsheet and confirming its import
- `areas.py`: a target area's headline and texts
- `indicators.py`: indicators (nyckeltal): fetching values from Kolada (also queued for
  the task worker), saving an indicator, values entered by hand
- `indicator_imports.py`: indicator values from a spreadsheet, all or nothing

Lock order
----------
A write that takes several row locks takes them in this order, so that no two writes
can wait for each other (`locks.py` has one function per step):

1. reporting periods (`lock_periods`): saving a status report, closing and reopening a
   period, deleting a row (its reports' periods);
2. the target area (`lock_area`): adding a row or an effect (positions are assigned under
   it), saving the area's texts, confirming an import;
3. the area's rows, by position (`lock_rows`, or the single row a save claims): moving
   a row, and adding a row or changing a row's long-term effects (it is placed in its
   group and the rows after it move down; all rows are locked before the saved row's
   version is claimed, never after);
4. the area's long-term effects, by id (`lock_effects`, or the single effect a save
   claims).

A write may skip steps, never go back to an earlier one.
"""
