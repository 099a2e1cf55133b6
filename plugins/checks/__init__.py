"""The built-in checks of ``lscb check`` (and of every render), each a plugin of the ``lscb_check_year`` hook:
the data of a year's content files and tables (:mod:`.data`), the chapters' text (:mod:`.chapters`); the
``lscb check`` command itself (:mod:`.command`) and the optional requirements appendix (:mod:`.appendix`)."""
