"""Views of the effect chain, one module per capability (urls.py names them):

- `access.py`: fetching an object and checking the user's rights (PermissionDenied or
  Http404), and the few helpers every view module shares;
- `rows.py`: a row's page, adding, editing, deleting and moving rows;
- `effects.py`: long-term effects;
- `status.py`: status reports, Mina rader and where sign-in lands;
- `dashboard.py`: the director's dashboard and the rows behind its numbers;
- `committee.py`: committee reports (page, PDF, large-PDF orders), closing periods;
- `spreadsheets.py`: export and import.

One URL serves a full page and, for htmx requests, the fragment that changes in place.
Every view checks the user's roles (malomraden/roles.py) before it reads a form or
writes: a fragment can be requested on its own, so a template hiding a button is never
the only guard. Without JavaScript every action works through the same URLs as ordinary
pages and form posts. Writes go through effektkedjor/services/.
"""
