"""Reader B: a second reader on another principle than reader A's (``detect/read.py``).

Small classifiers, trained by the project on crops of its own generator's pages (``training/``), read
each name's band, each printed cell and the page's other added ink from the page and the blank side by
side; ``read.read_second`` gives a ``records.SecondReading``. A page is counted automatically only when
both readers agree (``tally.validity.readers_disagree``).
"""
