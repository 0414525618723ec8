"""The centre's audit trail: the administrators' page of how the centre was run (`events.py` says
which events it shows, `views.py` serves it)."""
