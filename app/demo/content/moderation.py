"""What the review queue holds in the demo: a spammer's first post that two members reported.

Everything older than REVIEWED_AFTER_DAYS is approved by the demo moderator, and staff answers
are marked official, so the queue shows what a calm day looks like: the newest posts and this.
"""

REVIEWED_AFTER_DAYS = 2

SPAMMER = {"handle": "spammer", "display_name": "best_ink_deals", "email": "deals@example.com",
           "role": "member", "joined_days_ago": 0}

SPAM_ANSWER = {
    "thread": "OfficeJet Pro 9015e shows offline after Windows 11 update",
    "author": "spammer",
    "body": ("Forget the drivers, buy our compatible ink at [cheap-ink.example](https://cheap-ink.example/deal) "
             "and [printer-fix.example](https://printer-fix.example/now) - 80% off today only!!!"),
    "flags": [
        {"by": "frank", "reason": "spam", "note": "Advertising, nothing to do with the question."},
        {"by": "mei", "reason": "competitor", "note": None},
    ],
}
