"""Demo threads for the Orders & Accounts board."""

THREADS = [
    {
        "board": "orders-accounts",
        "author": "ingrid",
        "title": "Order stuck on 'Processing' for 9 days, no tracking number",
        "body": """I ordered a Smart Tank 5105 and a set of ink bottles from the online store 9 days ago. Payment was taken from my card the same day. The order status still says **Processing** and there's no tracking number.

The product page said "In stock, ships in 1-2 business days". I sent a message through the contact form 4 days ago and got only an automatic reply.

I need the printer for my shop, so I'm starting to think about cancelling and buying locally. Can anyone from the staff check what's happening?""",
        "tags": ["order-status", "shipping"],
        "days_ago": 18.0,
        "views": 247,
        "comments": [
            {"author": "linda", "body": "Same experience in March, it turned out to be a backorder that wasn't shown on the order page. Hope yours is quicker.", "hours_after": 2.0},
        ],
        "answers": [
            {
                "author": "staff_sam",
                "body": """Hi Ingrid, I'm sorry for the wait and the lack of updates - that's not the experience we want you to have.

I've sent you a private message asking for your order number and postcode (please **don't** post them publicly). Once I have them I can check with the order team directly.

In general, "Processing" for more than 5 business days usually means one item in the order is waiting for stock, and the order ships complete. Options we can offer in that case:

1. Split the order so the available items ship now.
2. Cancel the delayed item only.
3. Cancel the whole order with a full refund to your card.

I'll update this thread once I hear back.""",
                "hours_after": 3.0,
                "accepted": True,
                "comments": [
                    {"author": "ingrid", "body": "Sent the details by PM. Thanks Sam!", "hours_after": 4.0},
                    {"author": "ingrid", "body": "Update: the ink bottles were on backorder. Sam got the order split, the printer arrived today. Marking this as solved, thank you!", "hours_after": 70.0},
                ],
            },
        ],
    },
    {
        "board": "orders-accounts",
        "author": "klaus",
        "title": "Need invoice with company name and VAT ID - invoice shows private address",
        "body": """Hello,

I have bought a ZBook Firefly 14 in the online store for my small engineering company. In the checkout I have forgotten to enter the company name and our VAT ID (USt-IdNr.), so the invoice is made to my private name and address.

My tax advisor need an invoice with the correct company name and VAT ID, otherwise I cannot deduct the VAT.

Is it possible to get a corrected invoice? The order is from last week and already delivered.""",
        "tags": ["invoice", "vat", "business"],
        "days_ago": 34.0,
        "views": 402,
        "comments": [],
        "answers": [
            {
                "author": "staff_sam",
                "body": """Hi Klaus, yes, that's possible and quite common.

1. Sign in and go to https://store.example.com/account/orders.
2. Open the order and click **Request invoice correction**.
3. Enter the company name, company address and VAT ID exactly as registered.
4. Upload nothing else - the VAT ID is validated automatically against the EU VIES database.

You'll receive a credit note for the original invoice and a new invoice, usually within 3-5 business days. Please note: the VAT amount stays the same for a domestic purchase; reverse charge only applies for cross-border B2B orders within the EU.

If the button doesn't appear (some older orders don't have it), reply here and I'll raise it manually.""",
                "hours_after": 5.0,
                "accepted": True,
                "comments": [
                    {"author": "klaus", "body": "The button was there. I got the new invoice and credit note after 3 days. My tax advisor is happy. Thank you Sam!", "hours_after": 80.0},
                ],
            },
        ],
    },
    {
        "board": "orders-accounts",
        "author": "raj",
        "title": "How do I check whether my laptop warranty is still active?",
        "body": """I bought a used EliteBook from a colleague who left the company, and he said it "should still have warranty". I'd like to verify that before I open it to upgrade the RAM.

Where do I check the warranty status? Do I need an account, or the original invoice? And does the warranty even transfer to me as the second owner?

Also, where exactly is the serial number? The sticker on the bottom is partially scratched off.""",
        "tags": ["warranty", "serial-number"],
        "days_ago": 50.5,
        "views": 733,
        "comments": [],
        "answers": [
            {
                "author": "sofia",
                "body": """You can check without an account at https://support.example.com/warranty-check - just enter the serial number and country.

If the sticker is unreadable, there are other places to find the serial:

| Where | How |
|-------|-----|
| Keyboard shortcut | Press **Fn + Esc**, a System Information window shows it |
| BIOS | F10 at startup > Main > System Information |
| Windows | Command prompt: `wmic bios get serialnumber` |
| Battery bay / under the cover | Second sticker on some models |

As far as I know the standard warranty belongs to the product, not the owner, so it transfers with the laptop.""",
                "hours_after": 2.8,
                "accepted": True,
                "comments": [
                    {"author": "raj", "body": "Fn + Esc worked. Warranty active for another 7 months. Thanks!", "hours_after": 4.0},
                    {"author": "staff_sam", "body": "Thanks Sofia, that's correct. Note that upgrading RAM yourself doesn't void the warranty, but damage caused during the upgrade isn't covered.", "hours_after": 6.0},
                ],
            },
        ],
    },
    {
        "board": "orders-accounts",
        "author": "oliver",
        "title": "Monitor dead on arrival - how long does the RMA replacement take?",
        "body": """My new 27" monitor (ordered from the online store, delivered Monday) arrived with a vertical line of dead pixels down the middle and a flickering backlight. No visible damage to the box.

I'd like a replacement, not a refund. What's the process and how long does it usually take? Do I need to keep the original box? I've already thrown away the styrofoam inserts, which I now regret.

I work from home and really need the second screen, so speed matters more than anything else.""",
        "tags": ["rma", "return", "monitor"],
        "days_ago": 60.0,
        "views": 511,
        "comments": [],
        "answers": [
            {
                "author": "staff_sam",
                "body": """Hi Oliver, sorry your monitor arrived faulty. Since it's within 14 days of delivery, it counts as **dead on arrival**, which is the fastest route:

1. Go to **Account > Orders**, select the order and click **Return or replace item**.
2. Choose reason **Defective on arrival** and select **Replacement**.
3. You'll get a prepaid shipping label by email. Any sturdy box is fine - the original inserts aren't required, just pad it well.

Typical timeline:

| Step | Time |
|------|------|
| RMA approval | within 1 business day |
| Courier pickup or drop-off | 1-2 days |
| Replacement shipped | when the return is scanned by the courier |
| Delivery | 2-4 business days |

We ship the replacement on the courier scan, not when the return reaches the warehouse, so the total is usually about a week.""",
                "hours_after": 4.0,
                "accepted": True,
                "comments": [
                    {"author": "oliver", "body": "Replacement arrived 6 days after I opened the RMA. Perfect panel this time. Thanks for the clear steps.", "hours_after": 160.0},
                ],
            },
        ],
    },
    {
        "board": "orders-accounts",
        "author": "mei",
        "title": "Can't change my account email - verification code never arrives",
        "body": """I'm trying to change the email on my account from my old university address (which expires next month) to my personal one. When I enter the new email, the site says "We've sent a verification code", but the code never arrives at the new address.

Checked spam and promotions folders, waited over an hour, tried 4 times. Other emails reach that address fine.

I'm worried I'll lose access to my order history and registered products when the university address is shut down. What can I do?""",
        "tags": ["account", "email", "login"],
        "days_ago": 28.6,
        "views": 318,
        "comments": [
            {"author": "aisha", "body": "Which email provider is the new address? Some providers silently drop automated codes.", "hours_after": 1.0},
            {"author": "mei", "body": "It's a small provider that my family uses with our own domain.", "hours_after": 1.5},
        ],
        "answers": [
            {
                "author": "piotr",
                "body": """Try with Gmail or Outlook address first, then later change again to your own domain. For me it worked like this with other website, because the big providers receive the codes without problem.""",
                "hours_after": 2.0,
                "accepted": False,
                "comments": [],
            },
            {
                "author": "staff_sam",
                "body": """Hi Mei, thanks for reaching out before the old address expires - that makes this much easier.

Verification codes come from **noreply@example.com**. Some small providers reject them because of strict spam filtering, and you never see them in spam.

1. Ask your domain admin to allowlist `noreply@example.com`, then request a new code.
2. If that's not possible, send me a private message with your **current** account email and the new one. I can verify you through the old address and change it on our side.

Your orders, registered products and care packs are linked to the account, not the email address, so nothing gets lost.""",
                "hours_after": 3.5,
                "accepted": True,
                "comments": [
                    {"author": "mei", "body": "My brother added the allowlist entry and the code arrived within a minute. Email changed. Thank you Sam!", "hours_after": 28.0},
                ],
            },
        ],
    },
    {
        "board": "orders-accounts",
        "author": "piotr",
        "title": "Care Pack registration says 'Serial number not eligible'",
        "body": """Hi. I bought a 3-year Care Pack (next business day onsite) for my ENVY laptop from an online shop. When I try to register it on the website, after entering the serial number it say **"Serial number not eligible for this Care Pack"**.

The laptop I bought 2 months ago, so I think it's in time. The Care Pack is for "consumer notebooks" like the shop said. Did I buy the wrong one? The shop says it's not their problem, I must ask the manufacturer.

I attach nothing because it's my serial, but I can send by message.""",
        "tags": ["care-pack", "warranty", "registration"],
        "days_ago": 44.0,
        "views": 296,
        "comments": [],
        "answers": [
            {
                "author": "staff_sam",
                "body": """Hi Piotr, thanks for the details. This error usually has one of three causes:

1. **Product mismatch** - the Care Pack is for a different product category (e.g. business notebooks) than your laptop.
2. **Registration window** - Care Packs must be registered within 90 days of the hardware purchase; at 2 months you're fine.
3. **Country mismatch** - the laptop was originally sold in another country than the Care Pack.

I've sent you a private message. Please reply with the serial number, the Care Pack product number (starts with a "U") and the purchase invoices for both. I'll check which one applies and, if the pack is compatible, register it manually.""",
                "hours_after": 6.0,
                "accepted": True,
                "comments": [
                    {"author": "piotr", "body": "Sam checked and it was country problem, laptop was imported from other EU country. He registered it manually and I got confirmation email. Thank you very much!", "hours_after": 100.0},
                ],
            },
        ],
    },
    {
        "board": "orders-accounts",
        "author": "linda",
        "title": "Refund for cancelled order still not received after 3 weeks",
        "body": """We cancelled an order for two docking stations 3 weeks ago (ordered the wrong model). The cancellation confirmation email says "Your refund will be processed within 5-7 business days".

It's now been 15 business days and nothing has come back to our company credit card. The order page shows "Cancelled - Refund initiated" with no date.

Our bank says there is no pending refund on their side. Who do I contact? The phone line kept me on hold for 40 minutes and then disconnected.""",
        "tags": ["refund", "cancellation"],
        "days_ago": 4.9,
        "views": 73,
        "comments": [],
        "answers": [
            {
                "author": "staff_sam",
                "body": """Hi Linda, I'm sorry about the delay and the phone experience.

"Refund initiated" means the request was created, but it may be waiting on a manual approval step - this can happen for business card payments. I've sent you a private message; please reply with the order number and the last four digits of the card.

Meanwhile, please check whether the refund might have gone out as **two partial amounts** (one per docking station), which is sometimes harder to spot on a business statement.""",
                "hours_after": 3.0,
                "accepted": False,
                "comments": [
                    {"author": "linda", "body": "Checked the statement, no partial refunds either. Sent you the PM with the details.", "hours_after": 6.0},
                    {"author": "staff_sam", "body": "Thanks Linda, received. I've escalated it to the payments team and will update here.", "hours_after": 8.0},
                ],
            },
        ],
    },
    {
        "board": "orders-accounts",
        "author": "aisha",
        "title": "Is the extended warranty worth it for a mid-range laptop?",
        "body": """I'm about to buy a Pavilion Plus 14 for university (about 800 in my currency). At checkout there's an offer for a 3-year extended warranty with accidental damage protection for about 140 more.

I'm a bit clumsy, and I carry the laptop in my backpack every day. But 140 is a lot for a student.

For those who bought it: did you ever use it, and was the repair process smooth? And does the accidental damage part cover things like spilled coffee and a cracked screen?""",
        "tags": ["warranty", "care-pack", "purchase-advice"],
        "days_ago": 22.8,
        "views": 455,
        "comments": [
            {"author": "tom", "body": "Spilled coffee on my last laptop. Wish I'd had it, the repair cost more than half the laptop.", "hours_after": 5.0},
        ],
        "answers": [
            {
                "author": "marcus",
                "body": """For a student who carries it daily, I'd take the version **with accidental damage**. A screen replacement alone on that class of laptop costs about as much as the pack. Read the terms though - usually it's limited to one or two incidents per year, and there's no cover for theft or loss.""",
                "hours_after": 2.0,
                "accepted": False,
                "comments": [],
            },
            {
                "author": "greg",
                "body": """Counterpoint: check your home contents or student insurance first. Mine covered accidental damage to electronics outside the house for a small extra fee, which was cheaper and also covered my phone.""",
                "hours_after": 9.0,
                "accepted": False,
                "comments": [
                    {"author": "aisha", "body": "Good idea, I'll ask my parents' insurance before deciding.", "hours_after": 14.0},
                ],
            },
        ],
    },
    {
        "board": "orders-accounts",
        "author": "jonas",
        "title": "Order split in two shipments - one marked delivered but never arrived",
        "body": """My order (laptop + USB-C dock + a bag) was split into two shipments. The laptop arrived fine. The second parcel with the dock and bag is marked **"Delivered - left at front door"** three days ago, but there was nothing at the door.

I live in an apartment building and checked with the neighbours and the building manager. Nobody has seen it. The courier's tracking page shows no photo of the delivery.

Do I need to file a claim with the courier, or is that handled by the store?""",
        "tags": ["shipping", "missing-parcel"],
        "days_ago": 9.6,
        "views": 141,
        "comments": [],
        "answers": [
            {
                "author": "greg",
                "body": """In my experience the store has to handle it, because the store is the courier's customer, not you. File a "Not received" report on the order page as soon as possible - most couriers have a short window for investigations.""",
                "hours_after": 1.5,
                "accepted": False,
                "comments": [],
            },
            {
                "author": "staff_sam",
                "body": """Hi Jonas, Greg is right - please don't file with the courier yourself. Here's what to do:

1. On the order page, choose **Report a problem > Item not received** for the second shipment.
2. We open an investigation with the courier, which normally takes **5-7 business days**.
3. If the parcel isn't found, we send a replacement or refund the items, your choice.

Some couriers ask for a short signed statement that the parcel wasn't received - we'll email you a form if that's needed.""",
                "hours_after": 4.0,
                "accepted": False,
                "comments": [
                    {"author": "jonas", "body": "Report filed, investigation number received. I'll wait the 7 days and post an update.", "hours_after": 7.0},
                ],
            },
        ],
    },
    {
        "board": "orders-accounts",
        "author": "greg",
        "title": "Business account: how do I add a second user who can place orders?",
        "body": """I set up a business account for my small repair shop and it works fine for me. Now I want my colleague to be able to place orders and download invoices, ideally without sharing my password.

In the account settings I see "Company profile" and "Addresses", but nothing about users or roles. Is this possible with the business store account, or do we need a different type of account? We order maybe 10-15 times per month.""",
        "tags": ["business", "account"],
        "days_ago": 14.9,
        "views": 166,
        "comments": [],
        "answers": [
            {
                "author": "staff_sam",
                "body": """Hi Greg, good question. Multi-user access is available, but it has to be enabled for your company account first - it's not visible in the standard profile.

1. Email the business sales team from the account's registered address and request **multi-user access**.
2. Once enabled, a **Users** tab appears under Company profile, where you can invite colleagues as *Buyer* or *Administrator*.

I'll also pass on the feedback that this option should be easier to find.""",
                "hours_after": 5.0,
                "accepted": False,
                "comments": [
                    {"author": "greg", "body": "Sent the request two days ago, no response yet. Is there a ticket number or something I can reference?", "hours_after": 55.0},
                ],
            },
        ],
    },
    {
        "board": "orders-accounts",
        "author": "sofia",
        "title": "Student discount code not applied at checkout",
        "body": """I verified my student status on the education store page and received a discount code by email (10% off). When I enter it at checkout for a Pavilion Aero 13, it says "This code is not valid for the items in your cart".

The laptop is listed on the education store page, so it should be eligible. I tried in a private browser window and on my phone, same message. The code expires at the end of the month.

Is there a minimum amount or something else I'm missing?""",
        "tags": ["discount", "checkout", "education"],
        "days_ago": 6.9,
        "views": 102,
        "comments": [
            {"author": "aisha", "body": "Did you add the laptop from the education store page itself? For me it only worked when the cart was started there.", "hours_after": 3.0},
        ],
        "answers": [
            {
                "author": "mei",
                "body": """Another thing: some configurations with the same name are excluded (the preconfigured "bundle" versions with a bag or mouse). Check if the product number in your cart matches the one on the education page exactly.""",
                "hours_after": 5.0,
                "accepted": False,
                "comments": [
                    {"author": "sofia", "body": "Cleared the cart and added it from the education page, still same error. Product numbers match.", "hours_after": 9.0},
                ],
            },
        ],
    },
    {
        "board": "orders-accounts",
        "author": "tom",
        "title": "Can I transfer the remaining warranty when I sell my laptop?",
        "body": """I'm selling my ENVY 13 to a friend's daughter because my eyes need a bigger screen. I bought it 14 months ago with a 3-year Care Pack (the extra warranty), registered in my account.

Will the remaining warranty and the Care Pack go to her automatically, or do I need to do something? I'd like to give her the invoice and whatever else she needs. And should I remove the laptop from my account before I hand it over?""",
        "tags": ["warranty", "care-pack", "account"],
        "days_ago": 2.6,
        "views": 35,
        "comments": [],
        "answers": [],
    },
    {
        "board": "orders-accounts",
        "author": "raj",
        "title": "Lost my phone - can't log in because of two-factor authentication",
        "body": """My phone was stolen on Saturday and with it my authenticator app. I can't sign in to my account anymore because it asks for the 6-digit code. I didn't save the backup codes (I know...).

I have a new phone with the same number now, but the site doesn't offer SMS as an alternative, only "Enter backup code".

I have an open repair case for my laptop in this account that I need to follow. How can I recover access?""",
        "tags": ["account", "login", "two-factor"],
        "days_ago": 0.3,
        "views": 8,
        "comments": [],
        "answers": [],
    },
]
