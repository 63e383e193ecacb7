"""The review desk: bureaus review submissions level by level in the Wagtail admin.

``access`` says who sees and acts on what, ``workflow`` moves submissions
along, ``summary`` builds the summary list (一览表) and roll-ups, and
``admin``/``views`` put it in the admin under "申报审核".
"""
