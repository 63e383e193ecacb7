"""Review rules: bureaus review submissions level by level.

``access`` says who sees and acts on what, ``workflow`` moves submissions along
and counts quotas, ``summary`` builds the summary list (一览表) and roll-ups. The
admin screens that use them are in ``forms_app.desk``.
"""
