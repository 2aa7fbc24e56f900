"""Demo threads for the Desktops board."""

THREADS = [
    {
        "board": "desktops",
        "author": "oliver",
        "title": "Pavilion desktop TP01: power light on, fans spin, no display and no beeps",
        "product": "Pavilion Desktop TP01",
        "body": """My Pavilion desktop TP01 went dead after a thunderstorm last night (it was on a surge strip). Now when I press power:

- power LED turns on (white)
- fans spin normally
- no beeps at all
- monitor says "No signal" on both HDMI and DisplayPort

Tried a different monitor and a different HDMI cable. Keyboard Caps Lock light doesn't toggle either. Disconnected all USB devices.

Is the motherboard fried or is there something else I should check? I'm comfortable opening the case.""",
        "tags": ["no-post", "no-display", "pavilion"],
        "days_ago": 38.2,
        "views": 690,
        "comments": [
            {"author": "greg", "body": "Does it have a dedicated graphics card or are you plugged into the motherboard video ports?", "hours_after": 0.5},
            {"author": "oliver", "body": "Motherboard ports, no graphics card. 2x 8 GB RAM.", "hours_after": 0.9},
        ],
        "answers": [
            {
                "author": "tom",
                "body": """Check that the monitor cable is in the right port. On my computer there were ports on the graphics card and on the board, and only one of them worked. Took me a week to figure that out.""",
                "hours_after": 1.1,
                "accepted": False,
                "comments": [
                    {"author": "oliver", "body": "Thanks, but there's no graphics card, only the board ports.", "hours_after": 1.4},
                ],
            },
            {
                "author": "greg",
                "body": """"Fans spin, no beep, no Caps Lock" usually means it never gets through memory training. Go through this before blaming the board:

1. Unplug power, hold the power button for 15 seconds to drain.
2. Remove **both** RAM sticks. Put **one** stick back in the slot closest to the CPU (DIMM1), press firmly until both clips click.
3. Clear CMOS: remove the coin battery for 5 minutes, put it back.
4. Power on and wait a full 2 minutes - the first boot after a CMOS reset can stay black for a while.
5. If nothing, try the other stick in the same slot.

If the power LED blinks in a pattern, count the blinks, that's a diagnostic code.""",
                "hours_after": 1.8,
                "accepted": True,
                "comments": [
                    {"author": "oliver", "body": "One stick in DIMM1 and it booted after about a minute of black screen! The other stick seems to be the dead one. Ordering a replacement. Thank you!", "hours_after": 4.5},
                ],
            },
        ],
    },
    {
        "board": "desktops",
        "author": "mei",
        "title": "RAM upgrade for ENVY desktop TE01 - which modules are compatible?",
        "product": "ENVY Desktop TE01",
        "body": """I do photo editing and my ENVY desktop TE01 (Core i7-11700, 16 GB) is running out of memory with big Lightroom catalogs. I'd like to go to 32 or even 64 GB.

The spec sheet I found says "up to 32 GB" but I've seen forum posts claiming 64 GB works. Questions:

1. What type and speed should I buy?
2. How many slots are there, and are they all used?
3. Do I need to match the existing modules or replace them?

I'd rather not buy the wrong thing and have to send it back.""",
        "tags": ["ram", "upgrade", "envy"],
        "days_ago": 48.5,
        "views": 822,
        "comments": [],
        "answers": [
            {
                "author": "greg",
                "body": """I've done this exact upgrade on a TE01. Summary:

| Item | Value |
|------|-------|
| Slots | 2 (both used in 2x 8 GB configs) |
| Type | DDR4 UDIMM, non-ECC, 288-pin |
| Speed | DDR4-3200 (slower kits work, faster ones run at 3200) |
| Official max | 32 GB (2x 16 GB) |
| Tested | 64 GB (2x 32 GB) works with current BIOS |

1. Update the BIOS first, older versions had trouble with 32 GB modules.
2. Replace both sticks with a matched kit rather than mixing with the old ones.
3. First boot after the swap takes longer (memory training), don't panic.

The "up to 32 GB" in the spec sheet is just what was validated at launch.""",
                "hours_after": 3.2,
                "accepted": True,
                "comments": [
                    {"author": "mei", "body": "Installed a 2x 32 GB kit after the BIOS update. Windows shows 64 GB and Lightroom is much happier. Thanks for the table, very clear.", "hours_after": 120.0},
                ],
            },
        ],
    },
    {
        "board": "desktops",
        "author": "raj",
        "title": "OMEN 25L: can the stock 500 W PSU handle an RTX 4070?",
        "product": "OMEN 25L",
        "body": """I have an OMEN 25L with a Ryzen 5 5600X and an RTX 3060 and I'd like to upgrade to an RTX 4070 for 1440p gaming. The power supply label says 500 W 80 Plus Bronze.

Card vendors recommend 650 W. Is that just them being careful? I don't really want to replace the PSU because the OMEN case uses a proprietary-looking mounting and I'm not sure a standard ATX unit fits.

Also, will the card physically fit? It's about 25 cm long.""",
        "tags": ["gpu", "psu", "upgrade"],
        "days_ago": 29.1,
        "views": 1377,
        "comments": [
            {"author": "jonas", "body": "What connectors does your PSU have for the GPU? One 8-pin or two?", "hours_after": 0.8},
            {"author": "raj", "body": "One 8-pin (6+2) cable, currently in the 3060.", "hours_after": 1.5},
        ],
        "answers": [
            {
                "author": "jonas",
                "body": """Just get an 850 W PSU, always better to have headroom. You'll need it for the next upgrade anyway, and a good quality unit runs cooler and quieter at half load than a small one at its limit.""",
                "hours_after": 1.9,
                "accepted": False,
                "comments": [],
            },
            {
                "author": "greg",
                "body": """The 4070 is actually one of the most efficient cards for its class, so 500 W is fine for your setup - the 650 W recommendation assumes unknown PSUs and power-hungry CPUs.

| Component | Typical max draw |
|-----------|------------------|
| RTX 4070 | ~200 W |
| Ryzen 5 5600X | ~75 W |
| Board, RAM, SSD, fans | ~50 W |
| **Total** | **~325 W** |

1. Choose a 4070 model with a **single 8-pin** connector (many have one), so you don't need adapters.
2. Length: the 25L fits cards up to about 30 cm, 25 cm is fine.
3. Use DDU to remove the old driver before swapping cards.

I wouldn't go for a 4070 Ti or above on this PSU.""",
                "hours_after": 3.4,
                "accepted": True,
                "comments": [
                    {"author": "raj", "body": "Got a dual-fan 4070 with one 8-pin. Running for a week now, no shutdowns even in long gaming sessions. Thanks Greg!", "hours_after": 200.0},
                ],
            },
        ],
    },
    {
        "board": "desktops",
        "author": "linda",
        "title": "Blue screen CRITICAL_PROCESS_DIED at every startup on office PC",
        "body": """Our reception PC (ProDesk 400 G6, Windows 10 Pro) shows a blue screen with **CRITICAL_PROCESS_DIED** every time it starts. It gets to the spinning dots, then the blue screen, restarts, and the same again. After a few loops it shows "Automatic Repair" which says it couldn't repair the PC.

It happened after a power cut yesterday. We have backups of the important files on the server, but I'd really like to avoid reinstalling everything (the reception software is a pain to set up).

I can get to the blue "Choose an option" screen.""",
        "tags": ["bsod", "windows-10", "prodesk"],
        "days_ago": 21.3,
        "views": 508,
        "comments": [],
        "answers": [
            {
                "author": "nadia",
                "body": """After a power cut that's usually corrupted system files. From the recovery screen:

1. **Troubleshoot > Advanced options > Command Prompt**.
2. Find the Windows drive letter (in recovery it's often **D:**, not C:). `dir D:\\Windows` should list files.
3. Run these, replacing D: if needed:

```cmd
chkdsk D: /f
sfc /scannow /offbootdir=D:\\ /offwindir=D:\\Windows
DISM /Image:D:\\ /Cleanup-Image /RestoreHealth
```

4. Close the window and choose **Continue to Windows 10**.

If DISM complains about a missing source, try **System Restore** from the same menu with a restore point from before the outage.""",
                "hours_after": 1.6,
                "accepted": True,
                "comments": [
                    {"author": "linda", "body": "chkdsk found and fixed errors, sfc repaired some files, and it boots again! The reception software still works. Thank you so much.", "hours_after": 4.0},
                    {"author": "nadia", "body": "Great. A small UPS for that PC would be a good investment.", "hours_after": 5.0},
                ],
            },
        ],
    },
    {
        "board": "desktops",
        "author": "tom",
        "title": "Cloned old hard drive to a new SSD - Pavilion 590 won't boot from it",
        "body": """I bought a 1 TB SSD for my Pavilion 590 because it takes 4 minutes to start. I cloned the old 1 TB hard drive with the free cloning software that came with the SSD. The cloning said "completed successfully".

Then I removed the old drive and connected the SSD on the same cable. Now it says "Boot Device Not Found - Please install an operating system on your hard disk (3F0)".

If I put the old drive back in, it starts normally (slowly). What did I do wrong? Windows 10 Home.""",
        "tags": ["ssd", "clone", "boot"],
        "days_ago": 57.0,
        "views": 963,
        "comments": [
            {"author": "marcus", "body": "Does the SSD show up in the BIOS at all? Press F10 at power on and look under Storage.", "hours_after": 2.0},
            {"author": "tom", "body": "Yes, it shows the SSD model name under Storage.", "hours_after": 3.5},
        ],
        "answers": [
            {
                "author": "greg",
                "body": """Good, so the drive is detected - the boot entry is the problem. The old drive was probably set up in **Legacy/MBR** mode while the clone software made the SSD **GPT**, or the boot order still points to the old disk.

1. Press **F10** at power on, go to **Advanced > Boot Options**.
2. Make sure the SSD is first in **UEFI Boot Order**.
3. If Legacy Support is enabled, try switching it off (UEFI only), save and test.
4. If it still fails, put the old disk back and run from an admin command prompt:

```cmd
mbr2gpt /validate /allowFullOS
```

If that says the disk is MBR, reclone after converting with `mbr2gpt /convert /allowFullOS`, then use UEFI boot.""",
                "hours_after": 4.0,
                "accepted": True,
                "comments": [
                    {"author": "tom", "body": "Legacy Support was enabled and Windows was on the SSD as GPT. Disabled Legacy, and it starts in 25 seconds now! My grandson is impressed with me. Thank you Greg.", "hours_after": 30.0},
                ],
            },
        ],
    },
    {
        "board": "desktops",
        "author": "sofia",
        "title": "Front headphone jack doesn't work, rear jack is fine",
        "body": """Pavilion Gaming desktop TG01, Windows 11. When I plug headphones into the front audio jack nothing happens - sound keeps coming from the speakers connected at the back. The back green jack works fine with the same headphones.

In Sound settings there's no "Headphones" device appearing when I plug in at the front. I've tried two different headphones.

Is the front jack broken, or is there a setting? The PC is 10 months old.""",
        "tags": ["audio", "front-panel", "realtek"],
        "days_ago": 35.6,
        "views": 444,
        "comments": [],
        "answers": [
            {
                "author": "klaus",
                "body": """First look at Realtek settings, not Windows settings:

1. Open the **Realtek Audio Console** (from Start menu, maybe you must install from Microsoft Store).
2. Go to **Device advanced settings**.
3. Check the option **"Make front and rear output devices playback two different audio streams simultaneously"** or the other way, try both.
4. Also there is **"Disable front panel jack detection"** - this must be OFF.

If nothing helps, the small cable from the front panel to the motherboard (it say HD_AUDIO or F_AUDIO) may be loose. On my PC it was not fully plugged from the factory.""",
                "hours_after": 2.7,
                "accepted": True,
                "comments": [
                    {"author": "sofia", "body": "Front panel jack detection was ON (disabled detection). Turned it off and the headphones appear now. Thanks KlausB!", "hours_after": 5.1},
                ],
            },
        ],
    },
    {
        "board": "desktops",
        "author": "piotr",
        "title": "Rear case fan makes grinding noise - which replacement fan fits?",
        "body": """The rear case fan in my Pavilion desktop TP01 started to make grinding noise, especially in the morning when PC is cold. After 10-15 minutes it's quieter. I'm sure it's this fan, I stopped it with finger (carefully) and noise was gone.

I want to buy replacement but I don't know what size and connector. The fan has a small sticker with "DC 12V 0.18A" only. Does it need special fan or any standard 4-pin PC fan works? Budget is not a problem but I want it quiet.""",
        "tags": ["fan-noise", "replacement-parts"],
        "days_ago": 13.7,
        "views": 187,
        "comments": [
            {"author": "greg", "body": "Measure the frame - 92 mm or 80 mm? And count the wires: 3 or 4?", "hours_after": 1.2},
            {"author": "piotr", "body": "Frame is 92 mm, and 4 wires. Connector on motherboard says SYS_FAN.", "hours_after": 3.0},
        ],
        "answers": [
            {
                "author": "greg",
                "body": """Then any standard **92 mm 4-pin PWM** fan should work. Some TP01 boards use a smaller 5-pin or "mini" connector though - if your plug looks smaller than a standard fan connector, you'll need an adapter cable, or buy the official replacement part (search the spare parts page for your product number). Make sure airflow arrow points outwards at the rear.""",
                "hours_after": 3.8,
                "accepted": False,
                "comments": [
                    {"author": "piotr", "body": "I compared with photo of standard fan connector, mine looks the same. I ordered a quiet 92 mm PWM fan, will tell if it works.", "hours_after": 8.0},
                ],
            },
            {
                "author": "nadia",
                "body": """One caveat: some BIOS versions show a "fan error" at boot if the replacement fan's minimum RPM is lower than the original. If you get that, look for a fan check option in BIOS or choose a fan with a minimum around 600 RPM.""",
                "hours_after": 12.0,
                "accepted": False,
                "comments": [],
            },
        ],
    },
    {
        "board": "desktops",
        "author": "jonas",
        "title": "Random restarts under load - Event 41 Kernel-Power, no blue screen",
        "body": """OMEN 30L, i7-12700K, RTX 3070, 32 GB. About once every hour or two while gaming, the PC just restarts instantly - no blue screen, no freeze, just black and then it boots again.

Event Viewer shows **Kernel-Power Event ID 41** with BugcheckCode 0 each time. No minidump files.

Temps look normal in HWiNFO (CPU max 82 C, GPU 74 C). It's about 2 years old. Memtest86 ran 4 passes without errors. Where would you look next?""",
        "tags": ["restart", "kernel-power", "omen"],
        "days_ago": 18.4,
        "views": 512,
        "comments": [],
        "answers": [
            {
                "author": "nadia",
                "body": """Event 41 with BugcheckCode 0 means Windows didn't get a chance to write anything - power was cut or the board reset. With good temps and clean RAM the usual suspects are:

1. **PSU** - transient spikes from the GPU can trip protection on older or marginal units.
2. **GPU power cable** - if it's one cable with a daisy-chained second connector, use two separate cables if available.
3. **BIOS** - update it, some early BIOS versions on 12th gen had power-limit issues.

Try limiting the GPU power to 80% in MSI Afterburner for a session. If the restarts stop, it points strongly to the PSU.""",
                "hours_after": 2.3,
                "accepted": False,
                "comments": [
                    {"author": "jonas", "body": "GPU is on a daisy-chained cable indeed. Power limit at 80%: three hours of gaming without restart so far. Will try a second cable.", "hours_after": 28.0},
                ],
            },
            {
                "author": "marcus",
                "body": """Also check the wall side: power strip, surge protector, or a UPS that's too small. I chased this exact symptom for weeks and it was a cheap UPS that couldn't handle the load spikes.""",
                "hours_after": 30.0,
                "accepted": False,
                "comments": [],
            },
        ],
    },
    {
        "board": "desktops",
        "author": "aisha",
        "title": "All-in-One 24: screen goes black after 10 minutes but PC keeps running",
        "body": """My All-in-One 24 (about 2 years old) turns the screen black after roughly 10 minutes of use. The PC keeps running: I can still hear music playing and the power light stays on. Moving the mouse or pressing keys doesn't bring the picture back. Only a restart helps, then the same after 10 minutes.

Windows 11 Home. Sleep and screen-off timers are set to 30 minutes. I updated the graphics driver, no change. It started about a week ago.""",
        "tags": ["display", "all-in-one"],
        "days_ago": 9.9,
        "views": 168,
        "comments": [
            {"author": "marcus", "body": "Does an external monitor on the HDMI-out port keep working when the built-in screen goes black?", "hours_after": 2.5},
            {"author": "aisha", "body": "I don't have an external monitor at home, I'll borrow one from work.", "hours_after": 5.0},
        ],
        "answers": [
            {
                "author": "greg",
                "body": """Run the built-in display test: shut down, press power and tap **F2** to get UEFI diagnostics, then **Component Tests > Display > LCD test**. If the test screens also go black after a while, it's hardware (backlight or panel). If the test is fine, it's more likely software or the graphics driver.""",
                "hours_after": 6.0,
                "accepted": False,
                "comments": [
                    {"author": "aisha", "body": "The LCD test passed, but it only takes a couple of minutes, so not sure it proves much.", "hours_after": 24.0},
                ],
            },
        ],
    },
    {
        "board": "desktops",
        "author": "mei",
        "title": "Adding a second NVMe SSD to Pavilion TP01 - only one M.2 slot?",
        "product": "Pavilion Desktop TP01",
        "os": "Windows 11",
        "body": """I'd like to add a second NVMe SSD to my Pavilion desktop TP01 for my photo archive. Looking inside, I see one M.2 slot with the existing 512 GB SSD, and another M.2 slot with the Wi-Fi card in it.

Questions:

1. Is there any other M.2 slot I'm missing?
2. If not, what's the best way to add fast storage?
3. Could I use the Wi-Fi slot for an SSD if I use a USB Wi-Fi adapter instead?

Thanks in advance.""",
        "tags": ["ssd", "nvme", "upgrade"],
        "days_ago": 15.0,
        "views": 301,
        "comments": [],
        "answers": [
            {
                "author": "oliver",
                "body": """There's usually a **2.5" SATA bay** in the TP01, with a SATA data connector on the board and a power cable already routed. A SATA SSD is slower than NVMe, but for a photo archive you won't notice the difference.""",
                "hours_after": 2.0,
                "accepted": False,
                "comments": [
                    {"author": "mei", "body": "Found the bay and the cable. Still curious about the Wi-Fi slot idea though.", "hours_after": 6.0},
                ],
            },
            {
                "author": "marcus",
                "body": """The Wi-Fi slot is an **M.2 Key E** slot - physically and electrically different from the Key M slot SSDs use. There are adapters, but they only give you one PCIe lane and it's hit-and-miss with the BIOS. I wouldn't bother, use the SATA bay.""",
                "hours_after": 9.0,
                "accepted": False,
                "comments": [],
            },
        ],
    },
    {
        "board": "desktops",
        "author": "ingrid",
        "title": "Desktop takes 3 minutes to boot after BIOS update",
        "body": """After the support assistant installed a BIOS update on my ENVY desktop last week, it takes about 3 minutes to get to the Windows login. Before the update it was maybe 20 seconds.

The logo screen just stays there with no spinning dots for most of that time. Once Windows is up, everything runs normally.

I haven't changed any hardware. Is there a way to go back to the old BIOS, or is there a setting that got reset?""",
        "tags": ["bios", "slow-boot", "envy"],
        "days_ago": 1.8,
        "views": 27,
        "comments": [],
        "answers": [],
    },
    {
        "board": "desktops",
        "author": "klaus",
        "title": "ProDesk 600 G6 beeps and red LED blinks 3 times, no start",
        "product": "ProDesk 600 G6",
        "body": """Hello,

at our company one ProDesk 600 G6 (SFF) does not start anymore. When I press power, the power LED blinks **red 3 times, then white 2 times**, repeating, and it beeps. No picture on monitor.

Yesterday it was working normal. Nobody has opened the PC. I have tried other power cable and other monitor.

What mean this blink code? I find different information in internet. The PC has still warranty until next year.""",
        "tags": ["no-post", "beep-codes", "prodesk"],
        "days_ago": 0.4,
        "views": 6,
        "comments": [],
        "answers": [],
    },
    {
        "board": "desktops",
        "author": "raj",
        "title": "OMEN 30L RGB lighting stuck on red after Gaming Hub update",
        "product": "OMEN 30L",
        "os": "Windows 11",
        "body": """After updating the gaming hub app yesterday, all RGB lighting in my OMEN 30L (front light bar, fans, and the logo) is stuck on solid red. The Light Studio section in the app shows my old profile, but changes don't do anything.

I reinstalled the app, restarted several times, and also tried the "Reset to default" button. Still red.

Windows 11 23H2. Not the end of the world but it looks like an alarm light in my room now.""",
        "tags": ["rgb", "omen", "software"],
        "days_ago": 4.2,
        "views": 52,
        "comments": [
            {"author": "greg", "body": "Same here since the update, so probably not your hardware. Following.", "hours_after": 10.0},
        ],
        "answers": [],
    },
]
