"""Demo boards and community members for Peerdesk."""

# The hardware boards route their unanswered questions (README, Unanswered questions): with
# `make run` ticking, the demo's older unanswered questions invite helpers and are escalated by
# mail, which lands in instance/outbox.
HARDWARE_ROUTING = {"invite_after_hours": 24, "escalate_after_hours": 72,
                    "escalation_email": "support-tickets@example.com"}

BOARDS = [
    {
        "slug": "printers",
        "product_label": "Printer model",
        "routing": HARDWARE_ROUTING,
        "name": "Printers",
        "description": "Setup, printing, scanning, ink and toner, wireless connection problems.",
    },
    {
        "slug": "laptops",
        "product_label": "Laptop model",
        "routing": HARDWARE_ROUTING,
        "name": "Laptops",
        "description": "Battery, display, keyboard, Wi-Fi, docks, BIOS settings and hardware issues on notebooks.",
    },
    {
        "slug": "desktops",
        "product_label": "Computer model",
        "routing": HARDWARE_ROUTING,
        "name": "Desktops",
        "description": "Towers and all-in-ones: boot problems, upgrades, blue screens, fans, storage and audio.",
    },
    {
        "slug": "software-drivers",
        "name": "Software & Drivers",
        "description": "Driver downloads, BIOS and firmware updates, Windows upgrades, Linux support and the support assistant app.",
    },
    {
        "slug": "orders-accounts",
        "name": "Orders & Accounts",
        "description": "Order tracking, returns, refunds, invoices, warranty and care pack registration, and account settings.",
    },
]

MEMBERS = [
    {"handle": "staff_sam", "display_name": "Sam (Peerdesk Staff)", "email": "sam@example.com", "role": "moderator", "joined_days_ago": 1460},
    {"handle": "ingrid", "display_name": "inkjet_ingrid", "email": "ingrid@example.com", "role": "member", "joined_days_ago": 400},
    {"handle": "marcus", "display_name": "Marcus T.", "email": "marcus.t@example.com", "role": "member", "joined_days_ago": 930},
    {"handle": "klaus", "display_name": "KlausB", "email": "klaus.b@example.com", "role": "member", "joined_days_ago": 710},
    {"handle": "piotr", "display_name": "piotr_w", "email": "piotr.w@example.com", "role": "member", "joined_days_ago": 345},
    {"handle": "nadia", "display_name": "NadiaK_IT", "email": "nadia.k@example.com", "role": "member", "joined_days_ago": 1180},
    {"handle": "frank", "display_name": "PrinterFrank", "email": "frank@example.com", "role": "member", "joined_days_ago": 1320},
    {"handle": "greg", "display_name": "GregTheTinkerer", "email": "greg@example.com", "role": "member", "joined_days_ago": 860},
    {"handle": "tom", "display_name": "old_tom_62", "email": "tom62@example.com", "role": "member", "joined_days_ago": 520},
    {"handle": "sofia", "display_name": "SofiaR", "email": "sofia.r@example.com", "role": "member", "joined_days_ago": 210},
    {"handle": "oliver", "display_name": "oli_makes_things", "email": "oliver@example.com", "role": "member", "joined_days_ago": 640},
    {"handle": "linda", "display_name": "LindaM_office", "email": "linda.m@example.com", "role": "member", "joined_days_ago": 290},
    {"handle": "mei", "display_name": "mei_l", "email": "mei.l@example.com", "role": "member", "joined_days_ago": 455},
    {"handle": "raj", "display_name": "techie_raj", "email": "raj@example.com", "role": "member", "joined_days_ago": 160},
    {"handle": "aisha", "display_name": "AishaN", "email": "aisha.n@example.com", "role": "member", "joined_days_ago": 95},
    {"handle": "jonas", "display_name": "jonas.h", "email": "jonas.h@example.com", "role": "member", "joined_days_ago": 38},
]
