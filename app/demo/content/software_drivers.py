"""Demo threads for the Software & Drivers board."""

THREADS = [
    {
        "board": "software-drivers",
        "author": "marcus",
        "title": "Support Assistant: 'Something went wrong' (0x80070005) when checking for updates",
        "body": """On my ENVY 16 the support assistant app fails every time I click **Check for updates and messages**. After about 30 seconds: "Something went wrong. Error 0x80070005". The rest of the app (warranty info, diagnostics) works.

Already done:

- uninstalled and reinstalled the app from the Microsoft Store
- restarted, obviously
- ran Windows Update, fully up to date (Windows 11 23H2)

0x80070005 is "access denied" as far as I know, but I'm the only user and an administrator. Any idea which permission it's missing?""",
        "tags": ["support-assistant", "error-code", "windows-11"],
        "days_ago": 24.8,
        "views": 1105,
        "comments": [
            {"author": "jonas", "body": "Do you have any third-party antivirus or 'privacy' tools installed? They like to block the updater service.", "hours_after": 0.9},
            {"author": "marcus", "body": "Only Defender. No privacy tools.", "hours_after": 1.6},
        ],
        "answers": [
            {
                "author": "jonas",
                "body": """Try running the app as administrator (right-click > Run as administrator). The update checker sometimes needs elevation to write into ProgramData. Also check that the date and time on the PC are correct, wrong clocks break the update check too.""",
                "hours_after": 1.9,
                "accepted": False,
                "comments": [
                    {"author": "marcus", "body": "It's a Store app, there's no 'Run as administrator' option for it.", "hours_after": 2.3},
                ],
            },
            {
                "author": "nadia",
                "body": """The Store app uses a separate background service to download updates, and after reinstalling the app that service often stays in a broken state. Reset it from an **admin** PowerShell:

```powershell
Get-Service -Name "*SupportAssist*","*SAService*" | Select-Object Name, Status, StartType
Stop-Service -Name "SAService" -Force
Remove-Item "$env:ProgramData\\SupportAssistant\\Cache" -Recurse -Force
Start-Service -Name "SAService"
```

Service names vary a little between versions, so check the first command's output and adjust. Then open the app and check for updates again. If the service is missing entirely, install the **Support Assistant Service** package from https://support.example.com/drivers.""",
                "hours_after": 3.5,
                "accepted": True,
                "comments": [
                    {"author": "marcus", "body": "The service was set to 'Disabled' (no idea why). Set it to Automatic, cleared the cache, and updates work again. Thanks!", "hours_after": 6.0},
                ],
            },
        ],
    },
    {
        "board": "software-drivers",
        "author": "tom",
        "title": "Windows 11 upgrade says EliteDesk 800 G4 doesn't meet requirements",
        "body": """I bought a refurbished EliteDesk 800 G4 mini last year (Core i5-8500, 16 GB, 256 GB SSD). PC Health Check says "This PC doesn't currently meet Windows 11 system requirements", with red crosses at **TPM 2.0** and **Secure Boot**.

The 8th gen Core i5 is on the supported list, I checked. I was told these business computers all have TPM chips.

Windows 10 support ends soon and I don't want to buy a new computer if this one can do it. I'm not comfortable with anything risky.""",
        "tags": ["windows-11", "tpm", "secure-boot"],
        "days_ago": 66.0,
        "views": 2240,
        "comments": [],
        "answers": [
            {
                "author": "greg",
                "body": """Your PC can run Windows 11, the features are just switched off. Usually three things:

| Check | Where | Needed |
|-------|-------|--------|
| TPM | BIOS > Security > TPM Embedded Security | TPM Device: Available, TPM State: Enabled |
| Boot mode | BIOS > Advanced > Boot Options | UEFI, Legacy off |
| Disk layout | Disk Management | GPT (not MBR) |

**Do the disk check first**, because switching to UEFI on an MBR disk stops Windows from booting. Open an admin command prompt:

```cmd
mbr2gpt /validate /allowFullOS
mbr2gpt /convert /allowFullOS
```

Only run the second line if the first says validation completed successfully. Then:

1. Press **F10** at startup, enable TPM, disable Legacy boot, enable **Secure Boot**.
2. Save, boot Windows, rerun PC Health Check.

Make a backup first, it's safe but better be sure.""",
                "hours_after": 5.0,
                "accepted": True,
                "comments": [
                    {"author": "tom", "body": "My neighbour's son helped me with the commands. All green ticks now and Windows 11 installed overnight. Thank you for making it so clear.", "hours_after": 70.0},
                ],
            },
        ],
    },
    {
        "board": "software-drivers",
        "author": "sofia",
        "title": "No sound after Windows update - Realtek replaced by 'High Definition Audio Device'",
        "body": """Since yesterday's Windows update there's no sound from the speakers on my Pavilion 15. Headphones via Bluetooth work.

In Device Manager, under Sound, the **Realtek Audio** device is gone and instead there's **High Definition Audio Device**. The Realtek Audio Console app says "Can't connect to RPC service".

I tried the Windows audio troubleshooter and "Scan for hardware changes", no luck. How do I get the proper Realtek driver back and stop Windows from doing this again?""",
        "tags": ["audio", "realtek", "windows-update"],
        "days_ago": 13.1,
        "views": 640,
        "comments": [],
        "answers": [
            {
                "author": "oliver",
                "body": """Windows Update swapped your OEM driver for the generic one. To fix and prevent it:

1. Device Manager > High Definition Audio Device > **Properties > Driver > Roll Back Driver**. If that's greyed out, continue.
2. Download the **Realtek High-Definition Audio Driver** for your exact model from https://support.example.com/drivers and install it (not the one from Realtek's website - the OEM package includes the speaker tuning).
3. Restart.
4. To keep Windows from replacing it: Settings > Windows Update > Advanced options > **Optional updates** - don't install audio drivers from there. On Pro editions you can also block driver updates via Group Policy.""",
                "hours_after": 1.4,
                "accepted": True,
                "comments": [
                    {"author": "sofia", "body": "Rollback was greyed out, but the driver from the support page fixed it. Speakers work and the Audio Console opens again. Thanks!", "hours_after": 3.2},
                ],
            },
        ],
    },
    {
        "board": "software-drivers",
        "author": "jonas",
        "title": "BIOS update failed halfway - black screen, caps lock blinks",
        "body": """I started a BIOS update on my ProBook 450 G8 through the support assistant, and Windows did a restart during it (I think the battery was low and it wasn't plugged in... yes, stupid).

Now when I press power: fans spin, the screen stays black, and the **Caps Lock LED blinks** in a pattern - I think 2 long, 4 short? Over and over.

Is the laptop bricked? Do I have to send it in? It's my work laptop and I'm a bit panicking right now.""",
        "tags": ["bios", "bios-recovery", "probook"],
        "days_ago": 36.4,
        "views": 1588,
        "comments": [
            {"author": "staff_sam", "body": "Hi Jonas, please plug in the charger now and leave it plugged in for everything that follows.", "hours_after": 0.3},
        ],
        "answers": [
            {
                "author": "nadia",
                "body": """Don't panic, business laptops have a recovery path for exactly this. The blink code means the BIOS image is corrupt, and the laptop keeps a backup copy.

1. Connect the charger.
2. Shut the laptop off completely (hold power 10 s).
3. Press and **hold Windows key + B**, then press and release power while still holding both keys.
4. Keep holding for 2-3 seconds until you hear beeps or see a recovery screen, then let go.
5. Wait - the recovery can take several minutes and may restart twice. Don't interrupt it.

If it doesn't start, you can also create a recovery USB stick from another PC: put the BIOS files from the SoftPaq on a FAT32 stick in the folder structure described in the readme (`BIOS\\Current`), and repeat the key combo with the stick inserted.""",
                "hours_after": 0.8,
                "accepted": True,
                "comments": [
                    {"author": "jonas", "body": "Win+B did it! Recovery screen appeared, took about 4 minutes, laptop boots normally again. Thank you, you saved my Monday.", "hours_after": 1.6},
                    {"author": "staff_sam", "body": "Great news, Jonas. For others reading: always keep the charger connected during BIOS updates.", "hours_after": 2.0},
                ],
            },
        ],
    },
    {
        "board": "software-drivers",
        "author": "nadia",
        "title": "Silent install of universal printer driver via command line for 40 PCs",
        "body": """I need to deploy the universal print driver (PCL 6) to about 40 Windows 11 workstations without users clicking through the installer. No SCCM/Intune here, just a login script or PsExec.

The downloaded package is a self-extracting exe. When I extract it I get a folder with INF files, but running the included installer with `/s` or `/quiet` still pops up the driver selection wizard.

What's the cleanest way to install the driver and create a TCP/IP printer in one go from cmd or PowerShell?""",
        "tags": ["drivers", "deployment", "powershell"],
        "days_ago": 42.7,
        "views": 978,
        "comments": [],
        "answers": [
            {
                "author": "marcus",
                "body": """Skip the vendor installer and stage the INF yourself. This works from an elevated script:

```powershell
# 1. Add the driver package to the driver store
pnputil /add-driver "C:\\Deploy\\UPD-PCL6\\*.inf" /install

# 2. Register the driver with the spooler (name must match the INF exactly)
Add-PrinterDriver -Name "Universal Printing PCL 6"

# 3. Create the port and the printer
Add-PrinterPort -Name "IP_10.0.20.15" -PrinterHostAddress "10.0.20.15"
Add-Printer -Name "Office MFP" -DriverName "Universal Printing PCL 6" -PortName "IP_10.0.20.15"
```

1. Extract the exe once with 7-Zip into a share.
2. Check the exact driver name in the INF file, it's case-sensitive in practice.
3. Run via PsExec as SYSTEM or in a startup script.

For the old-school way, `rundll32 printui.dll,PrintUIEntry /ia` also works, but the PowerShell cmdlets give much better error messages.""",
                "hours_after": 2.6,
                "accepted": True,
                "comments": [
                    {"author": "nadia", "body": "Perfect, the driver name had an extra space in the INF, which is why my own attempt failed. Rolled out to all 40 in an afternoon. Thanks Marcus.", "hours_after": 22.0},
                ],
            },
        ],
    },
    {
        "board": "software-drivers",
        "author": "klaus",
        "title": "Linux support: fingerprint reader on EliteBook 845 G9 with Fedora",
        "body": """Hello,

I have installed Fedora 40 on my EliteBook 845 G9. Nearly everything works very good (Wi-Fi, sound, sleep), but the fingerprint reader is not working. In Settings > Users there is no option for fingerprint, and `fprintd-enroll` says "No devices available".

`lsusb` shows a device from Synaptics. Is this reader supported under Linux at all? Is there a driver from the vendor? In Windows it is working, so the hardware is ok.

Thank you!""",
        "tags": ["linux", "fingerprint", "firmware"],
        "days_ago": 30.2,
        "views": 415,
        "comments": [
            {"author": "jonas", "body": "Which USB ID does lsusb show exactly? Something like 06cb:xxxx?", "hours_after": 1.0},
            {"author": "klaus", "body": "It is 06cb:00f9, the name is Synaptics Inc.", "hours_after": 2.5},
        ],
        "answers": [
            {
                "author": "jonas",
                "body": """That reader is supported by libfprint, but only with a recent **sensor firmware**. Laptops that shipped with older firmware don't get detected until it's updated. fwupd can do it from Linux:

```bash
sudo fwupdmgr refresh
sudo fwupdmgr get-updates
sudo fwupdmgr update
```

1. Look for an update for the "Synaptics Prometheus Fingerprint Reader" in the list.
2. Apply it and reboot.
3. Then `fprintd-enroll` or Settings > Users > Fingerprint Login should work.

If fwupd shows nothing, boot Windows once, install the latest fingerprint driver from the support site (it also updates the sensor firmware), then go back to Fedora.""",
                "hours_after": 3.5,
                "accepted": True,
                "comments": [
                    {"author": "klaus", "body": "fwupd found a firmware update for the reader. After reboot I could enroll my finger. Super, thank you jonas!", "hours_after": 20.0},
                ],
            },
        ],
    },
    {
        "board": "software-drivers",
        "author": "aisha",
        "title": "Touchpad gestures stopped working after touchpad driver update",
        "body": """After the support assistant installed a touchpad driver update on my Pavilion Aero 13, two- and three-finger gestures stopped working. Scrolling with two fingers does nothing and pinch-to-zoom is gone. Single clicks and moving the cursor work.

In Settings > Bluetooth & devices, the "Touchpad" page now only has a sensitivity slider - all the gesture options disappeared. Before the update there were scroll, zoom, and three-finger options.

Windows 11 Home. How do I get the gestures back?""",
        "tags": ["touchpad", "drivers", "windows-11"],
        "days_ago": 20.5,
        "views": 572,
        "comments": [],
        "answers": [
            {
                "author": "mei",
                "body": """The gesture options only show up when Windows sees a **Precision Touchpad**. The update probably installed a driver that makes it show up as a generic mouse. Fix:

1. Device Manager > **Human Interface Devices** (and **Mice and other pointing devices**).
2. Find the touchpad entry (often "I2C HID Device" or vendor-named).
3. Right-click > **Uninstall device** and tick **"Attempt to remove the driver for this device"**.
4. Restart. Windows installs the inbox precision driver.
5. Check Settings > Touchpad - gestures should be back.

If it returns to the wrong driver, use the "Show or hide updates" troubleshooter to hide that driver update.""",
                "hours_after": 2.2,
                "accepted": True,
                "comments": [
                    {"author": "aisha", "body": "Gestures are back after uninstalling with that checkbox ticked. Thank you mei!", "hours_after": 4.0},
                ],
            },
        ],
    },
    {
        "board": "software-drivers",
        "author": "piotr",
        "title": "Driver for old LaserJet 1020 on Windows 11 - model not in the list",
        "body": """Hi, I have old LaserJet 1020 (USB) which is working perfect for many years. After I install Windows 11 on new PC, the printer is detected as "Unspecified device" and I cannot find driver.

On the support website for this model it says only Windows 7 and "use in-OS driver". But in Add printer wizard the model is not in the list. I don't want to throw away working printer only because of driver.

Any solution?""",
        "tags": ["drivers", "windows-11", "laserjet"],
        "days_ago": 11.1,
        "views": 356,
        "comments": [],
        "answers": [
            {
                "author": "marcus",
                "body": """The in-OS driver isn't in the default list, you need to load the full list from Windows Update:

1. Settings > Printers & scanners > Add device > **Add manually**.
2. "Add a local printer with manual settings", choose the **USB001** port.
3. On the driver page, click **Windows Update** and wait - it can take several minutes.
4. Then choose the manufacturer and the "LaserJet 1020" entry.""",
                "hours_after": 2.0,
                "accepted": False,
                "comments": [
                    {"author": "piotr", "body": "I waited 10 minutes, list loaded, but 1020 is still not there. Only 1018 and 1022.", "hours_after": 5.0},
                ],
            },
            {
                "author": "frank",
                "body": """The 1018 driver is known to work with the 1020 (same engine, different speed). Pick **LaserJet 1018** in that list, print a test page. One catch: the 1020 needs its firmware uploaded by the driver at every power-on, so if the first page after switching it on doesn't come out, send it a second time.""",
                "hours_after": 8.0,
                "accepted": False,
                "comments": [
                    {"author": "piotr", "body": "With 1018 driver the printer makes noise but paper does not come. I will try again with power off/on.", "hours_after": 11.0},
                ],
            },
        ],
    },
    {
        "board": "software-drivers",
        "author": "ingrid",
        "title": "Support assistant keeps offering the same BIOS update again and again",
        "body": """Every few days the support assistant on my ENVY x360 says there's a critical BIOS update (version F.24). I install it, the laptop restarts, it shows the BIOS update screen, reaches 100%, boots Windows... and a few days later the same update is offered again.

System Information shows BIOS version F.24 already, so the update did install. Is the app just confused? Can I safely ignore it? I'm a bit nervous about installing BIOS updates over and over.""",
        "tags": ["bios", "support-assistant"],
        "days_ago": 16.9,
        "views": 289,
        "comments": [
            {"author": "jonas", "body": "Same here with a different model, noticed it last month.", "hours_after": 3.0},
        ],
        "answers": [
            {
                "author": "nadia",
                "body": """If System Information shows F.24, you're up to date and you can ignore the notification. The app matches updates by package ID, and there were two packages for the same version (one re-released with a signing fix), so it sometimes offers the second one again.

You can hide it in the app: click the update > **Ignore** / **Do not show again**.""",
                "hours_after": 4.2,
                "accepted": False,
                "comments": [
                    {"author": "ingrid", "body": "I don't see an Ignore option in my version of the app, only 'Download and install'.", "hours_after": 7.0},
                ],
            },
        ],
    },
    {
        "board": "software-drivers",
        "author": "raj",
        "title": "Ubuntu 24.04 on ENVY x360: no sound from internal speakers",
        "body": """Dual-booting Ubuntu 24.04 on my ENVY x360 15 (Ryzen 7 7730U). Everything works except the internal speakers. Headphones on the jack and Bluetooth work. The sound settings show "Speakers - Built-in Audio" and the volume meter moves, but nothing comes out.

Kernel 6.8. I've tried `alsamixer` (nothing muted that I can see) and installed `pavucontrol`. In Windows the speakers work fine, so it's not hardware.

Any known fix for this model? I really want to move my dev work fully to Linux.""",
        "tags": ["linux", "audio", "ubuntu"],
        "days_ago": 6.3,
        "views": 134,
        "comments": [],
        "answers": [
            {
                "author": "jonas",
                "body": """Many recent laptops use an external speaker amplifier (Cirrus Logic or Realtek) that needs a kernel quirk for that exact model. Check what the kernel says:

```bash
sudo dmesg | grep -iE "snd|cs35l|sof|amp"
cat /proc/asound/cards
```

If you see errors about missing firmware or "no _DSD found" for a cs35l41 amp, it's a known issue that's fixed in newer kernels. Installing the HWE kernel (`sudo apt install linux-generic-hwe-24.04`) might help once it moves to a newer version.""",
                "hours_after": 3.0,
                "accepted": False,
                "comments": [
                    {"author": "raj", "body": "dmesg shows 'cs35l41 ... Failed property cirrus,dev-index: -22'. So that's the amp issue you mean, I guess.", "hours_after": 6.5},
                    {"author": "jonas", "body": "Yes, exactly that. Either wait for a newer kernel or try a mainline 6.10+ kernel for testing.", "hours_after": 8.0},
                ],
            },
        ],
    },
    {
        "board": "software-drivers",
        "author": "linda",
        "title": "How to stop Windows Update from replacing drivers on our office laptops?",
        "body": """We have 12 laptops in the office (mix of ProBooks and EliteBooks, Windows 11 Pro, no domain, no Intune). Twice now Windows Update has replaced a working driver with an older or generic one - once the audio, once the graphics driver, which broke the docking station monitors.

I'd like driver updates to come only from the vendor tools, but still get normal Windows security updates. Is there a setting for that which doesn't require a server?""",
        "tags": ["windows-update", "drivers", "group-policy"],
        "days_ago": 7.2,
        "views": 118,
        "comments": [],
        "answers": [
            {
                "author": "nadia",
                "body": """Yes. On Windows 11 Pro you can use the local Group Policy editor on each laptop:

1. Run `gpedit.msc`.
2. Go to **Computer Configuration > Administrative Templates > Windows Components > Windows Update > Manage updates offered from Windows Update**.
3. Enable **Do not include drivers with Windows Updates**.
4. Run `gpupdate /force`.

Security and feature updates continue normally. Then use the vendor's driver tool for drivers.""",
                "hours_after": 3.0,
                "accepted": False,
                "comments": [
                    {"author": "linda", "body": "Thanks! Do I really need to do this on all 12 by hand? There's no server here.", "hours_after": 5.0},
                ],
            },
            {
                "author": "marcus",
                "body": """You can script it instead of clicking: the policy is just a registry value. Set `ExcludeWUDriversInQualityUpdate` = 1 (DWORD) under `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate` with a small .reg file and double-click it on each laptop as admin.""",
                "hours_after": 6.0,
                "accepted": False,
                "comments": [],
            },
        ],
    },
    {
        "board": "software-drivers",
        "author": "oliver",
        "title": "Bluetooth audio crackling after Intel Bluetooth driver 23.x update",
        "body": """After the latest Intel wireless Bluetooth driver update (23.x) on my EliteBook 830 G9, my Bluetooth headphones crackle and cut out for a split second every 10-20 seconds. It's worse when I'm also on Wi-Fi video calls.

Headphones are fine with my phone. Before the driver update they were fine with the laptop too. Rolling back in Device Manager isn't possible ("Roll Back Driver" is greyed out).

Where can I get the previous driver version, and is this a known issue?""",
        "tags": ["bluetooth", "audio", "drivers"],
        "days_ago": 1.1,
        "views": 19,
        "comments": [],
        "answers": [],
    },
    {
        "board": "software-drivers",
        "author": "tom",
        "title": "Driver tool wants to install lots of extra apps - which ones do I need?",
        "body": """I ran the support assistant on my new Pavilion desktop and it lists 14 "recommended" items. Some are clearly drivers (audio, chipset, graphics), but others have names like "Smart Experiences", "System Event Utility", "Connection Optimizer", "Audio Control", "Privacy Settings", and "Documentation".

I like to keep my computer simple and don't want programs running in the background that I don't need. Which of these are actually necessary for the computer to work properly, and which can I skip?""",
        "tags": ["support-assistant", "bloatware"],
        "days_ago": 3.3,
        "views": 44,
        "comments": [
            {"author": "sofia", "body": "Good question, I've wondered the same about my laptop.", "hours_after": 12.0},
        ],
        "answers": [],
    },
]
