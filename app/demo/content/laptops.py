"""Demo threads for the Laptops board."""

THREADS = [
    {
        "board": "laptops",
        "author": "raj",
        "title": "EliteBook 840 G8 stops charging at 80% - battery faulty?",
        "product": "EliteBook 840 G8",
        "os": "Windows 11",
        "body": """My work EliteBook 840 G8 (Windows 11 Pro, about 14 months old) never charges above 80%. The tray icon says "Plugged in, not charging" and the percentage just sits there, even overnight.

I tried two different chargers (the original 65 W USB-C and the one from a docking station) - same thing. Battery report says design capacity 53 Wh, full charge capacity 51 Wh, so the battery itself looks healthy.

Is this a defect I should claim under warranty, or some setting? I travel a lot so those extra 20% matter.""",
        "tags": ["battery", "charging", "elitebook"],
        "days_ago": 19.6,
        "views": 734,
        "comments": [
            {"author": "greg", "body": "Does it say anything about 'battery health' or 'optimized charging' when you hover the battery icon?", "hours_after": 0.7},
        ],
        "answers": [
            {
                "author": "tom",
                "body": """You need to calibrate the battery. Let it drain completely until the laptop shuts off, then charge to 100% without using it. Do that two or three times and the 80% limit goes away.""",
                "hours_after": 1.3,
                "accepted": False,
                "comments": [
                    {"author": "nadia", "body": "Please don't deep-discharge lithium batteries on purpose, it doesn't help here and shortens their life.", "hours_after": 2.0},
                ],
            },
            {
                "author": "nadia",
                "body": """That's not a defect, it's the **Battery Health Manager** in the BIOS. Many corporate images ship with it set to cap the charge at 80% to extend battery life.

1. Restart and tap **F10** to enter BIOS setup.
2. Go to **Advanced > Power Management Options**.
3. Set **Battery Health Manager** to **Maximize my battery duration** (instead of *Maximize my battery health* or *Let the system decide*).
4. Save with F10 and restart.

If the BIOS is password protected (common on work laptops), you'll need your IT department to change it. Personally I'd leave 80% for desk days and only switch before trips.""",
                "hours_after": 2.4,
                "accepted": True,
                "comments": [
                    {"author": "raj", "body": "It was set to 'Maximize my battery health'. IT changed it for me, charging to 100% now. Thanks for the clear explanation!", "hours_after": 50.0},
                ],
            },
        ],
    },
    {
        "board": "laptops",
        "author": "aisha",
        "title": "Forgot BIOS administrator password on my ProBook 450 G7",
        "product": "ProBook 450 G7",
        "body": """I set a BIOS administrator password a year ago when I was "securing" my laptop after a YouTube tutorial, and now I need to change the boot order to reinstall Windows. Of course I don't remember it. I've tried every password I ever used.

After three attempts it shows a lock icon and I have to restart.

The laptop is mine, I bought it new and have the invoice. How do I reset this? I read that removing the little round battery clears it - is that true for this model?""",
        "tags": ["bios", "password", "probook"],
        "days_ago": 40.3,
        "views": 902,
        "comments": [],
        "answers": [
            {
                "author": "piotr",
                "body": """Yes, open the bottom cover, disconnect the main battery and the CMOS battery (small round one) for 10 minutes. Then the BIOS is reset to default and the password is gone.""",
                "hours_after": 1.0,
                "accepted": False,
                "comments": [
                    {"author": "aisha", "body": "Did this carefully with a video guide. The BIOS date was reset, but the password is still there.", "hours_after": 8.0},
                ],
            },
            {
                "author": "staff_sam",
                "body": """Hi Aisha, thanks for posting and sorry about the hassle.

On business notebooks like the ProBook the BIOS administrator password is stored in protected flash memory, not in CMOS. That's why removing the coin cell only reset the clock - this is intentional so a stolen laptop can't be unlocked that way.

For security reasons we can't post bypass procedures in the community, but there is an official route:

1. Contact support via https://support.example.com/contact and choose **BIOS password reset**.
2. Have your **serial number** and **proof of purchase** ready.
3. Support will verify ownership and guide you through the unlock, usually with a one-time code for your specific machine.

Please don't try third-party "unlock services" - they often require flashing the BIOS chip and can damage the board.""",
                "hours_after": 9.5,
                "accepted": True,
                "comments": [
                    {"author": "aisha", "body": "Contacted support with my invoice, they sent me a code file and it worked. Thanks for pointing me in the right direction, and no more BIOS passwords for me.", "hours_after": 96.0},
                ],
            },
        ],
    },
    {
        "board": "laptops",
        "author": "piotr",
        "title": "Wi-Fi drops every few minutes on ENVY x360 13 (Intel AX201)",
        "product": "ENVY x360 13",
        "os": "Windows 11",
        "body": """Hello. My ENVY x360 13 lose Wi-Fi connection every 5-10 minutes, for maybe 20 seconds, then it come back. Very annoying in video calls. Other devices in the house (phones, TV) have no problem, so I think router is ok.

Windows 11 23H2, Intel Wi-Fi 6 AX201. I already reinstalled the driver from Device Manager and reset network settings in Windows. Also tried to forget the network and connect again.

It happens on battery and on charger. Please help, I work from home.""",
        "tags": ["wifi", "windows-11", "drivers"],
        "days_ago": 11.9,
        "views": 421,
        "comments": [
            {"author": "nadia", "body": "Which driver version is shown in Device Manager > Network adapters > Intel Wi-Fi 6 AX201 > Driver tab?", "hours_after": 0.6},
            {"author": "piotr", "body": "Driver version 22.110.x, date from 2022.", "hours_after": 1.4},
        ],
        "answers": [
            {
                "author": "nadia",
                "body": """That driver is quite old. Two things, in this order:

1. Install the current Intel Wi-Fi driver from your model's page on https://support.example.com/drivers (or directly from Intel).
2. In Device Manager, open the adapter > **Power Management** and uncheck **Allow the computer to turn off this device to save power**.
3. On the **Advanced** tab set **Roaming Aggressiveness** to *Lowest* if you only have one access point.

If it still drops, generate a WLAN report right after a disconnect, it shows exactly why:

```cmd
netsh wlan show wlanreport
```

The HTML report is written to `C:\\ProgramData\\Microsoft\\Windows\\WlanReport\\wlan-report-latest.html`.""",
                "hours_after": 2.0,
                "accepted": True,
                "comments": [
                    {"author": "piotr", "body": "New driver plus disable the power saving, now it work stable already 3 days, no one disconnection. Thank you very much!", "hours_after": 75.0},
                ],
            },
        ],
    },
    {
        "board": "laptops",
        "author": "greg",
        "title": "Victus 16: fan constantly loud even at idle on the desktop",
        "product": "Victus 16",
        "os": "Windows 11",
        "body": """Victus 16 (Ryzen 7, RTX 4060), about 6 months old. Even when it's doing absolutely nothing - just the desktop, no browser open - the fans run at a clearly audible constant speed. CPU sits at 2-5% and around 45 C according to HWiNFO, so it's not hot.

On battery it's quiet. As soon as I plug in the charger the fan spins up and stays there.

Already checked: Windows power mode on "Balanced", the gaming hub app set to "Quiet", BIOS is current, vents are clean (it's new). What am I missing?""",
        "tags": ["fan-noise", "bios", "victus"],
        "days_ago": 33.0,
        "views": 615,
        "comments": [],
        "answers": [
            {
                "author": "marcus",
                "body": """Could still be dust even on a new unit, or a process spiking briefly. Check Task Manager sorted by CPU for a few minutes - Antimalware Service Executable and the search indexer are common culprits after updates.""",
                "hours_after": 3.0,
                "accepted": False,
                "comments": [
                    {"author": "greg", "body": "Watched it for ten minutes, nothing above 3%. And it only happens on AC power, which points to a setting.", "hours_after": 4.0},
                ],
            },
            {
                "author": "oliver",
                "body": """Only on AC is the giveaway: check the BIOS option **Fan Always On**.

1. Restart, tap **F10**.
2. Go to **Configuration** (or *Advanced > Built-in Device Options* on some BIOS versions).
3. Set **Fan Always On** to **Disabled**.
4. F10 to save.

When it's enabled the fan runs at a fixed minimum speed whenever the charger is connected, no matter the temperature. Some units ship with it on.""",
                "hours_after": 5.5,
                "accepted": True,
                "comments": [
                    {"author": "greg", "body": "Of course it was enabled. Disabled it and the laptop is silent now at idle. Thanks oli!", "hours_after": 10.0},
                    {"author": "raj", "body": "Same on my OMEN, had no idea this setting existed. Thanks for sharing.", "hours_after": 140.0},
                ],
            },
        ],
    },
    {
        "board": "laptops",
        "author": "sofia",
        "title": "Spectre x360 14 screen flickers on battery, fine when plugged in",
        "product": "Spectre x360 14",
        "os": "Windows 11",
        "body": """The OLED screen on my Spectre x360 14 flickers - especially on dark or grey backgrounds, like a faint pulsing - but **only when running on battery**. When the charger is plugged in it's perfect.

It's most visible when I scroll slowly or when the mouse cursor is the only thing moving. Windows 11, Intel Iris Xe graphics. I updated the graphics driver from Windows Update last week but it was already happening before.

Is this a dying screen? It's 8 months old.""",
        "tags": ["display", "flicker", "graphics"],
        "days_ago": 25.7,
        "views": 488,
        "comments": [
            {"author": "mei", "body": "Do you have brightness set to change automatically with content? That's one of the causes.", "hours_after": 1.0},
        ],
        "answers": [
            {
                "author": "mei",
                "body": """Almost certainly not the panel. Battery-only flicker is usually one of Intel's power saving features for the display. Disable them one by one:

| Setting | Where | Set to |
|---------|-------|--------|
| Panel Self Refresh | Intel Graphics Command Center > System > Power | Off |
| Display Power Saving Technology | Intel Graphics Command Center > System > Power > On battery | Off |
| Content adaptive brightness | Windows Settings > System > Display > Brightness | Off |

1. Install **Intel Graphics Command Center** from the Microsoft Store if you don't have it.
2. Change the first setting, unplug the charger, and test for a few minutes.
3. Only move on to the next row if it still flickers.

It costs a little battery life, but not much.""",
                "hours_after": 2.5,
                "accepted": True,
                "comments": [
                    {"author": "sofia", "body": "Panel Self Refresh off fixed it completely. Flicker gone on battery. Thank you, I was already preparing a warranty claim!", "hours_after": 7.0},
                ],
            },
        ],
    },
    {
        "board": "laptops",
        "author": "jonas",
        "title": "Keyboard backlight turns itself off after 15 seconds - how to keep it on?",
        "body": """New ProBook 440 G10. The keyboard backlight works (F5 cycles through off / dim / bright) but it switches off after about 15 seconds without typing. I work in a dark room in the evenings and this drives me mad, I keep pressing keys just to find the keys.

There's no setting for it anywhere in Windows 11 settings that I can find. Is there a way to keep it on permanently while the laptop is plugged in?""",
        "tags": ["keyboard", "backlight", "bios"],
        "days_ago": 12.4,
        "views": 233,
        "comments": [],
        "answers": [
            {
                "author": "klaus",
                "body": """This setting is in BIOS, not in Windows. I had same question with my EliteBook.

1. Restart and press **F10** many times for BIOS setup.
2. Go to **Advanced > Built-in Device Options**.
3. There is **Backlit keyboard timeout**. You can choose:

| Option | Meaning |
|--------|---------|
| 5 secs / 15 secs / 30 secs / 1 min / 5 min | off after this time |
| Never | always on |

4. Choose "Never", save with F10.

On some models you can have different value for battery and for AC, then you can make "Never" only on AC.""",
                "hours_after": 4.0,
                "accepted": True,
                "comments": [
                    {"author": "jonas", "body": "Found it exactly there, set to Never on AC. Thanks Klaus!", "hours_after": 6.2},
                ],
            },
        ],
    },
    {
        "board": "laptops",
        "author": "linda",
        "title": "USB-C Dock G5: external monitors not detected with the new laptops",
        "body": """Our office replaced three older laptops with new EliteBook 840 G10s. The USB-C Dock G5 units on the desks worked perfectly with the old laptops: two monitors, keyboard, network, charging.

With the new laptops, charging, keyboard and network work through the dock, but **neither monitor gets a signal** ("No input"). Both monitors are connected to the dock with DisplayPort cables.

If I plug a monitor directly into the laptop's HDMI port it works. Tried the other USB-C port on the laptop too. Any ideas?""",
        "tags": ["usb-c", "docking-station", "monitors"],
        "days_ago": 52.0,
        "views": 1044,
        "comments": [
            {"author": "nadia", "body": "What's the dock firmware version? It's on the sticker's QR page or in the dock firmware utility.", "hours_after": 1.0},
            {"author": "linda", "body": "No idea, never updated them. They're about three years old.", "hours_after": 2.2},
        ],
        "answers": [
            {
                "author": "nadia",
                "body": """Three-year-old dock firmware plus new laptops is a classic combination. Update everything in this order:

1. **Dock firmware**: download the *USB-C Dock G5 Firmware Update* from https://support.example.com/drivers, connect a laptop to the dock, run the installer. Don't unplug during the update (the dock LED blinks).
2. **Laptop BIOS** and **Intel graphics driver**, both from the laptop's support page.
3. Disconnect the dock from power for 30 seconds after the update.
4. Use the laptop's **Thunderbolt/USB-C port marked with the DisplayPort or lightning icon**.

Also check that each monitor is set to DisplayPort input explicitly, not auto-detect - some monitors give up scanning before the dock wakes up.""",
                "hours_after": 3.0,
                "accepted": True,
                "comments": [
                    {"author": "linda", "body": "The dock firmware update did it. All three desks work with two monitors again. Thank you Nadia, this forum is better than our old IT support.", "hours_after": 27.0},
                ],
            },
        ],
    },
    {
        "board": "laptops",
        "author": "tom",
        "title": "Pavilion 15 'plugged in, not charging' stuck at 0%",
        "product": "Pavilion 15",
        "os": "Windows 10",
        "body": """My grandson's Pavilion 15 (about 4 years old) only runs on the charger. The battery shows 0% and "Plugged in, not charging". If I unplug it, it turns off immediately.

The charger light is on and the laptop runs fine while plugged in. We tried another charger from a friend (also 65 W, same round plug) - same thing.

Is it just the battery that is worn out, or could it be the motherboard? I don't want to buy a battery and then find out it's something else.""",
        "tags": ["battery", "charging", "pavilion"],
        "days_ago": 16.2,
        "views": 377,
        "comments": [
            {"author": "greg", "body": "Run the battery test in the UEFI diagnostics (press Esc at power-on, then F2). It will tell you if the battery is detected at all.", "hours_after": 2.0},
            {"author": "tom", "body": "Diagnostics says: Battery check - Replace. Code 'BATTERY FAILURE - Cell imbalance'. So it's the battery?", "hours_after": 20.0},
        ],
        "answers": [
            {
                "author": "marcus",
                "body": """Before buying anything, reset the battery driver in Windows:

1. Device Manager > **Batteries**.
2. Right-click **Microsoft ACPI-Compliant Control Method Battery** > Uninstall device.
3. Shut down, unplug the charger, hold power for 15 seconds.
4. Plug in, start, Windows reinstalls the driver.""",
                "hours_after": 3.0,
                "accepted": False,
                "comments": [
                    {"author": "tom", "body": "Tried that, didn't help. Still 0%.", "hours_after": 6.0},
                ],
            },
            {
                "author": "greg",
                "body": """With a "Replace" result and cell imbalance from the diagnostics, it's the battery, not the board. After 4 years that's normal wear. Check the exact battery part number on the sticker under the battery (or in the diagnostics details) and buy one with the same spare part number. Avoid the cheapest no-name ones, they often report wrong capacity.""",
                "hours_after": 22.0,
                "accepted": False,
                "comments": [
                    {"author": "tom", "body": "Thank you, ordered the battery with the same part number. Will report back when it arrives.", "hours_after": 30.0},
                ],
            },
        ],
    },
    {
        "board": "laptops",
        "author": "oliver",
        "title": "Hinge cracked on Pavilion x360 - is this covered by warranty?",
        "body": """The left hinge on my Pavilion x360 14 (11 months old) has pulled out of the bottom case. The plastic around the screw mount is cracked and the screen now wobbles when I open it. I never dropped it, I just opened and closed it normally, sometimes used it in tent mode.

I've read online that this is a common problem with some convertibles. Will the warranty cover it, or will they say it's physical damage? Has anyone been through this recently?""",
        "tags": ["hinge", "warranty", "pavilion"],
        "days_ago": 7.8,
        "views": 206,
        "comments": [
            {"author": "linda", "body": "Take photos now, before you send it in. Helpful if there's any discussion later.", "hours_after": 1.5},
        ],
        "answers": [
            {
                "author": "ingrid",
                "body": """Mine (different model, ENVY) was covered last year. I sent photos showing no dents or scratches on the outside and explained it happened during normal use. They repaired it within about 10 days.""",
                "hours_after": 2.0,
                "accepted": False,
                "comments": [],
            },
            {
                "author": "marcus",
                "body": """It depends on whether the technician sees signs of impact. If there are no cracks on the lid, no dented corners and the crack is at the hinge mount only, it's normally treated as a manufacturing defect. Be specific in the case description: "hinge mount failure during normal use, no drop or impact". Stay out of the "accidental damage" category in the form.""",
                "hours_after": 5.0,
                "accepted": False,
                "comments": [
                    {"author": "oliver", "body": "Opened a case with that wording and the photos. Waiting for the box to arrive.", "hours_after": 30.0},
                ],
            },
        ],
    },
    {
        "board": "laptops",
        "author": "mei",
        "title": "Reinstall Windows without recovery partition - Cloud Recovery Tool stuck",
        "body": """I replaced the SSD in my ENVY 13 with a bigger one, so the recovery partition is gone. Now I want a clean factory-like Windows with all the drivers.

I found the Cloud Recovery Tool and tried to create a USB stick (32 GB SanDisk, formatted FAT32). It downloads until 47% and then says "Download failed, please try again". Tried three times, also with a different USB stick.

Is there another way to get the factory image, or should I just install plain Windows 11 and add the drivers?""",
        "tags": ["recovery", "windows-11", "ssd"],
        "days_ago": 10.5,
        "views": 259,
        "comments": [],
        "answers": [
            {
                "author": "jonas",
                "body": """Plain Windows 11 from the Media Creation Tool works fine on this model. After installing, run the support assistant app or download the driver pack (the "SoftPaq" bundle) from https://support.example.com/drivers. Honestly that's cleaner than the factory image, no preinstalled trialware.""",
                "hours_after": 1.8,
                "accepted": False,
                "comments": [
                    {"author": "mei", "body": "Good point about the trialware. But I'd still like to understand why the tool fails.", "hours_after": 3.0},
                ],
            },
            {
                "author": "nadia",
                "body": """The Cloud Recovery Tool writes a large temp file to your **system drive** before copying it to USB. If there's less than ~30 GB free on C:, it fails around halfway. Also try:

1. Run the tool **as administrator**.
2. Temporarily pause third-party antivirus.
3. Use a wired connection if possible.""",
                "hours_after": 7.0,
                "accepted": False,
                "comments": [
                    {"author": "mei", "body": "Free space was 22 GB... I'll clean up and try again this weekend.", "hours_after": 9.0},
                ],
            },
        ],
    },
    {
        "board": "laptops",
        "author": "klaus",
        "title": "Laptop wakes up alone in the bag and gets very hot",
        "body": """Hello,

twice this week my EliteBook 850 G8 was very hot in my backpack, with the fan running. I put it to sleep by closing the lid, like always. When I open it, it shows it was awake since maybe 1 hour, battery down from 90% to 40%.

Windows 11 Pro, company laptop but I have admin rights. I don't know what wakes it. Is there a way to find out? And can I make it hibernate instead when lid is closed?""",
        "tags": ["sleep", "power", "windows-11"],
        "days_ago": 4.6,
        "views": 97,
        "comments": [],
        "answers": [
            {
                "author": "nadia",
                "body": """You can ask Windows what woke it and which devices are allowed to wake it:

```cmd
powercfg /lastwake
powercfg /devicequery wake_armed
powercfg /waketimers
```

Many business laptops use *Modern Standby* (S0), where the machine keeps doing network activity while "asleep". In a bag with no airflow that means heat.

Quick fix: Control Panel > Power Options > **Choose what closing the lid does** > set **Hibernate** for "On battery".""",
                "hours_after": 1.5,
                "accepted": False,
                "comments": [
                    {"author": "klaus", "body": "Lastwake says 'Wake History Count - 0', strange. I have set Hibernate now for lid, I will see tomorrow if it helps.", "hours_after": 5.0},
                ],
            },
        ],
    },
    {
        "board": "laptops",
        "author": "aisha",
        "title": "Keys E and R stopped working on ProBook 440 G9",
        "product": "ProBook 440 G9",
        "body": """Since this morning the E and R keys on my ProBook 440 G9 don't respond at all. Every other key works. No liquid spill that I know of, though I admit I eat at my desk sometimes.

The on-screen keyboard types E and R fine, and an external USB keyboard works too, so it's the laptop keyboard. I restarted twice and checked for Windows updates.

Is there anything I can try before sending it in? It's 18 months old and still under warranty I think.""",
        "tags": ["keyboard", "probook"],
        "days_ago": 2.1,
        "views": 31,
        "comments": [
            {"author": "oliver", "body": "Does it happen in the BIOS too? E.g. can you type E in a BIOS password field or search box? That rules out drivers.", "hours_after": 4.0},
        ],
        "answers": [],
    },
    {
        "board": "laptops",
        "author": "jonas",
        "title": "Built-in webcam shows only a black image, privacy shutter is open",
        "body": """ENVY x360 15, Windows 11. The camera app and Teams both show a completely black image. The camera light next to the lens does turn on, so something is happening.

Things I checked:

- the physical privacy shutter is open (I can see the lens)
- the camera privacy key (F10 with the camera icon) - pressed it, a message says "Camera on"
- Settings > Privacy > Camera allowed for all apps

Device Manager shows no errors. Worked fine last week.""",
        "tags": ["webcam", "windows-11"],
        "days_ago": 0.9,
        "views": 14,
        "comments": [],
        "answers": [],
    },
]
