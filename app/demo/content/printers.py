"""Demo threads for the Printers board."""

THREADS = [
    {
        "board": "printers",
        "author": "ingrid",
        "title": "OfficeJet Pro 9015e shows offline after Windows 11 update",
        "product": "OfficeJet Pro 9015e",
        "os": "Windows 11",
        "body": """After last Tuesday's Windows update my printer shows **Offline** in Settings > Bluetooth & devices > Printers & scanners.

The printer itself is fine: it's on Wi-Fi, I can print from my phone with the app, and the printer's web page opens at `192.168.1.47`.

What I already tried:

- restarted printer, laptop and router
- removed the printer and added it again (it finds it, then goes offline after a few minutes)
- ran the Windows troubleshooter ("Troubleshooting couldn't identify the problem")

Windows 11 Home 23H2. I need this for printing invoices for my little shop, so any help is really appreciated.""",
        "tags": ["wireless", "windows-11", "offline"],
        "days_ago": 14.2,
        "views": 312,
        "comments": [
            {"author": "marcus", "body": "Does the printer have a fixed IP address, or does the router hand out a new one every time it restarts?", "hours_after": 0.4},
            {"author": "ingrid", "body": "Honestly no idea. It was 192.168.1.47 today, but I never set anything myself.", "hours_after": 0.9},
        ],
        "answers": [
            {
                "author": "tom",
                "body": """Have you tried unplugging the printer from the wall for a full 60 seconds, not just pressing the power button? That fixed the offline thing on my DeskJet last year.""",
                "hours_after": 1.2,
                "accepted": False,
                "comments": [
                    {"author": "ingrid", "body": "Tried that, didn't help. Online for two minutes, then offline again.", "hours_after": 1.6},
                ],
            },
            {
                "author": "marcus",
                "body": """This is almost always Windows using a **WSD port** that loses track of the printer. Switch it to a plain TCP/IP port:

1. Print a network configuration page (Settings > Reports on the printer panel) and note the IP address.
2. In your router, create a DHCP reservation for that IP so it never changes.
3. Open PowerShell **as administrator** and run (adjust IP and printer name):

```powershell
Add-PrinterPort -Name "IP_192.168.1.47" -PrinterHostAddress "192.168.1.47"
Set-Printer -Name "OfficeJet Pro 9015e" -PortName "IP_192.168.1.47"
```

4. Print a test page.

You can do the same through Printer properties > Ports > Add Port > Standard TCP/IP Port if you prefer clicking.""",
                "hours_after": 2.1,
                "accepted": True,
                "comments": [
                    {"author": "ingrid", "body": "That worked! Had to run PowerShell as admin the second time. Printer shows Idle now instead of Offline. Thank you so much!", "hours_after": 5.0},
                    {"author": "marcus", "body": "Glad it's sorted. Do the DHCP reservation too, otherwise it comes back after the next router reboot.", "hours_after": 5.6},
                ],
            },
        ],
    },
    {
        "board": "printers",
        "author": "tom",
        "title": "LaserJet Pro M404dn says paper jam in tray 2 but there is no paper anywhere",
        "product": "LaserJet Pro M404dn",
        "body": """Hello all. I print the newsletter for our church on a LaserJet Pro M404dn, about 3 years old, roughly 18,000 pages on the counter.

Since Sunday it shows **13.A2.D2 Paper jam in Tray 2** as soon as I send anything. There is no paper inside. I opened every door, took out the toner, looked in with a flashlight, even turned it upside down (with help). Still the same message after power on.

Is this the end of the printer or is there something I can do myself? I am not very technical but I am patient.""",
        "tags": ["paper-jam", "laserjet"],
        "days_ago": 31.5,
        "views": 540,
        "comments": [
            {"author": "frank", "body": "Did a small piece of paper tear off at some point? Check the rear duplex area with the back door open, too.", "hours_after": 0.8},
            {"author": "tom", "body": "Back door area is clean as far as I can see. No torn pieces.", "hours_after": 1.5},
        ],
        "answers": [
            {
                "author": "frank",
                "body": """Phantom jams in tray 2 on this series are nearly always one of two things: a stuck paper sensor flag or a worn pickup roller.

1. Pull tray 2 **completely** out of the printer.
2. Shine a flashlight up into the empty cavity. On the right side there is a small plastic flag that should swing freely when you touch it.
3. Check it for bits of paper or label backing stuck to it. Tweezers work well.
4. Clean the grey pickup roller with a lint-free cloth and a little plain water (no alcohol).
5. If the roller looks shiny or glazed, order a roller kit. At 18k pages that's normal wear.

For reference, the first part of the code tells you where to look:

| Code | Location | Usual cause |
|------|----------|-------------|
| 13.A2.xx | Tray 2 | Pickup roller or sensor flag |
| 13.B2.xx | Fuser area | Paper or label stuck in fuser |
| 13.D3.xx | Duplexer | Rear door not fully closed |""",
                "hours_after": 2.0,
                "accepted": True,
                "comments": [
                    {"author": "tom", "body": "Found it! A sticky label backing was glued to that little flag. Got it out with tweezers and it prints again. Thank you Frank, you saved our newsletter.", "hours_after": 26.0},
                ],
            },
            {
                "author": "nadia",
                "body": """Adding to Frank's answer: if the sensor is clean and the error still comes back, do a cold reset from the control panel (hold Cancel while powering on until the lights flash) before buying parts. It clears stale jam status on some firmware versions.""",
                "hours_after": 3.5,
                "accepted": False,
                "comments": [],
            },
        ],
    },
    {
        "board": "printers",
        "author": "klaus",
        "title": "Cartridge problem after firmware update - refill cartridges not more recognised",
        "body": """Hello,

since yesterday my OfficeJet Pro 8025e say **"Cartridge Problem"** for all four cartridges. I use refill cartridges from a local shop since 2 years without any problem.

The printer has made an automatic firmware update over the night, I did not allow this consciously. Now I can not print anything, not even black.

Is it possible to go back to the old firmware? I find this really not fair, the printer is mine and I paid for it. Printer is connected per WLAN, computer is Windows 10.

Thank you for help.""",
        "tags": ["firmware", "ink-cartridges", "officejet"],
        "days_ago": 22.0,
        "views": 1210,
        "comments": [
            {"author": "ingrid", "body": "Same thing happened to me last year with a different model. Very frustrating, you have my sympathy.", "hours_after": 1.0},
        ],
        "answers": [
            {
                "author": "piotr",
                "body": """You can try to downgrade with an older firmware file, some people share them on forums. I did it with my old printer and it was working again with cheap cartridges. Search for the firmware version number with "downgrade".""",
                "hours_after": 1.5,
                "accepted": False,
                "comments": [
                    {"author": "nadia", "body": "I'd be careful with firmware files from random forums. A bad flash can brick the formatter board and that's not covered by warranty.", "hours_after": 2.2},
                ],
            },
            {
                "author": "staff_sam",
                "body": """Hi Klaus, sorry for the trouble, and thanks for the detailed description.

Downgrading firmware isn't supported and I'd also advise against unofficial files for the reason Nadia gave. What I'd suggest instead:

1. Contact the shop that refilled your cartridges. Most refillers have updated chips for the current firmware and will swap them.
2. To avoid surprises in future, open the printer's web page (type its IP into a browser), go to **Settings > Printer Updates > Firmware Updates** and change it to **Notify me before installing**.
3. Check the release notes for your model on https://support.example.com/drivers - occasionally a later firmware changes cartridge behaviour again.

If the original cartridges also show an error, please post again and we'll look at it as a hardware issue.""",
                "hours_after": 4.0,
                "accepted": True,
                "comments": [
                    {"author": "klaus", "body": "Thank you Sam. The shop has given me new cartridges with updated chip, now it works again. And I have set updates to 'notify'. Lesson learned.", "hours_after": 30.0},
                ],
            },
        ],
    },
    {
        "board": "printers",
        "author": "sofia",
        "title": "How do I scan several pages into ONE pdf on ENVY 6055e?",
        "product": "ENVY 6055e",
        "os": "Windows 10",
        "body": """I have to send a 7-page contract back to my landlord and every page I scan ends up as its own PDF file. Scan_001.pdf, Scan_002.pdf... you get the idea.

I'm using the printer app on Windows 11, flatbed (the ENVY 6055e has no document feeder). Is there a way to scan all pages into a single PDF, or do I need some extra software to merge them afterwards?""",
        "tags": ["scanning", "pdf", "windows-11"],
        "days_ago": 9.3,
        "views": 198,
        "comments": [],
        "answers": [
            {
                "author": "oliver",
                "body": """You can do it in the app, the button is just well hidden:

1. Choose **Scan > Document** (not Photo, Photo always saves single images).
2. Scan the first page.
3. In the preview window, click the **+ Add** button in the bottom left corner, put the next page on the glass, and repeat.
4. When all pages are in, click **Save**, choose **PDF** as file type and make sure "Save as separate files" is unchecked.

If you ever need to merge existing files, NAPS2 is a free scanning tool that can combine them too.""",
                "hours_after": 0.7,
                "accepted": True,
                "comments": [
                    {"author": "sofia", "body": "Found the + button, it was hidden behind the preview on my small screen. One PDF with 7 pages, perfect. Thanks!", "hours_after": 2.4},
                ],
            },
        ],
    },
    {
        "board": "printers",
        "author": "mei",
        "title": "LaserJet MFP M234sdw on macOS Sonoma: printing works, scanner not found",
        "product": "LaserJet MFP M234sdw",
        "os": "macOS 14 Sonoma",
        "body": """Printing from my MacBook Air (M2, macOS Sonoma 14.5) to the LaserJet MFP M234sdw works fine over Wi-Fi through AirPrint.

But scanning does not. Image Capture says "No Devices", and in System Settings > Printers & Scanners there is no "Scan" tab for this printer at all.

The old driver installer I had from my previous Mac says it doesn't support this macOS version. Is there a Sonoma driver somewhere, or is scanning just not possible anymore?""",
        "tags": ["macos", "scanning", "drivers"],
        "days_ago": 17.8,
        "views": 266,
        "comments": [
            {"author": "jonas", "body": "Can you scan from the printer's web page? That would at least tell us the scanner itself works.", "hours_after": 0.6},
            {"author": "mei", "body": "Yes, Webscan in the browser works. So the hardware is fine.", "hours_after": 1.1},
        ],
        "answers": [
            {
                "author": "marcus",
                "body": """Just install the full feature driver package from https://support.example.com/drivers, pick your model and macOS version. That includes the scan driver and the scan app, and it worked for my LaserJet on an older macOS version.""",
                "hours_after": 1.0,
                "accepted": False,
                "comments": [
                    {"author": "mei", "body": "There is no full package for Sonoma on that page, only a note saying 'use AirPrint'. That's the problem.", "hours_after": 2.0},
                ],
            },
            {
                "author": "nadia",
                "body": """On current macOS there's no separate scan driver any more - macOS uses **AirScan (eSCL)**, and the printer has to advertise it. On this model it's often switched off.

1. Update the printer firmware first (web page > Tools > Firmware).
2. In the web page go to **Network > Advanced** and make sure **Bonjour** and **eSCL / AirPrint Scan** are enabled.
3. On the Mac, check whether the scanner is now advertised:

```bash
dns-sd -B _uscan._tcp
```

You should see your printer listed. Press Ctrl+C to stop.

4. Remove the printer in Printers & Scanners and add it again. Now there should be an **Open Scanner** button.""",
                "hours_after": 6.0,
                "accepted": True,
                "comments": [
                    {"author": "mei", "body": "dns-sd showed nothing until I enabled eSCL in the web page. After re-adding, Image Capture sees it. Thanks Nadia!", "hours_after": 9.0},
                ],
            },
        ],
    },
    {
        "board": "printers",
        "author": "oliver",
        "title": "iPhone says 'No AirPrint Printers Found' - DeskJet 4155e",
        "product": "DeskJet 4155e",
        "os": "iOS",
        "body": """My DeskJet 4155e prints fine from my Windows laptop over Wi-Fi, so the printer is definitely on the network. But neither my iPhone 13 nor my partner's iPad can find it: "No AirPrint Printers Found".

- iOS 17.4 on both
- new mesh Wi-Fi system installed a month ago (three nodes)
- printer and laptop are in the same room, phone right next to it

Before the mesh system AirPrint worked. Is there a setting on the printer I'm missing, or is it the router?""",
        "tags": ["airprint", "ios", "wireless"],
        "days_ago": 45.0,
        "views": 389,
        "comments": [
            {"author": "frank", "body": "Does your mesh system have a guest network enabled? Phones love joining the guest SSID on their own.", "hours_after": 3.0},
        ],
        "answers": [
            {
                "author": "aisha",
                "body": """AirPrint relies on Bonjour (mDNS) messages, and some mesh systems block them between bands or between nodes. Things to check in order:

1. Make sure the phone is on the **same SSID** as the printer, not the guest network (guest networks usually isolate devices).
2. In the mesh app, turn off **client isolation / AP isolation** if it exists.
3. If the mesh splits 2.4 and 5 GHz into different names, put the phone on the 2.4 GHz one for a test.
4. On the printer web page, confirm **Bonjour** is enabled under Network.

In my case it was step 1 - my phone had silently joined the guest network after a software update.""",
                "hours_after": 4.5,
                "accepted": True,
                "comments": [
                    {"author": "oliver", "body": "Embarrassing, but yes: both devices were on the guest network. Switched them over and AirPrint found the printer instantly. Thanks!", "hours_after": 20.0},
                    {"author": "frank", "body": "Happens to the best of us. Guest networks are the number one AirPrint problem I see.", "hours_after": 22.5},
                ],
            },
        ],
    },
    {
        "board": "printers",
        "author": "linda",
        "title": "Color LaserJet Pro MFP M479fdw takes 2 minutes before the first page comes out",
        "product": "Color LaserJet Pro MFP M479fdw",
        "os": "Windows 11",
        "body": """We are a small office with 6 PCs (Windows 10 and 11) sharing one Color LaserJet Pro MFP M479fdw over the network. Since we replaced the old printer, every print job sits in the queue with status "Printing" for about 2 minutes before the printer even wakes up. After that the pages come out quickly.

Copies made directly on the printer are instant, so it's not the printer warming up. Same delay for Word, PDFs and emails, on every PC.

The IT guy who set it up isn't available anymore. Where should I start looking?""",
        "tags": ["slow-printing", "network", "laserjet"],
        "days_ago": 27.4,
        "views": 455,
        "comments": [
            {"author": "nadia", "body": "Did you replace the printer but keep the old printer's name or IP in the port settings on the PCs?", "hours_after": 0.5},
            {"author": "linda", "body": "Possibly. The IT guy just 'swapped it'. How would I check?", "hours_after": 1.3},
        ],
        "answers": [
            {
                "author": "jonas",
                "body": """Switch from the universal PostScript driver to the model-specific PCL 6 driver. PostScript converts everything and is much slower with big PDFs. You can download it from the support page for your model and change it under Printer properties > Advanced.""",
                "hours_after": 1.8,
                "accepted": False,
                "comments": [
                    {"author": "linda", "body": "Changed the driver on one PC, still exactly the same delay before printing starts.", "hours_after": 5.0},
                ],
            },
            {
                "author": "nadia",
                "body": """A fixed ~2 minute delay on every PC is a timeout, not a slow driver. Most likely the port still contains the old printer's hostname and Windows waits for it before falling back.

1. Open **Control Panel > Devices and Printers**, right-click the printer > **Printer properties > Ports**.
2. Select the checked port and click **Configure Port**.
3. Make sure **Printer Name or IP Address** is the current printer's IP (check it on the printer panel).
4. If the old name is in there, change it. Also uncheck **SNMP Status Enabled** if the community name isn't "public".
5. Repeat on each PC, or push one correctly configured port to all of them.

Jonas is right that PCL 6 is generally faster, so keep that change.""",
                "hours_after": 6.2,
                "accepted": True,
                "comments": [
                    {"author": "linda", "body": "That was it - the port still pointed to the old printer's hostname. Fixed it on all six PCs, print jobs start immediately now. You're a lifesaver.", "hours_after": 25.0},
                ],
            },
        ],
    },
    {
        "board": "printers",
        "author": "piotr",
        "title": "Smart Tank 7305 prints streaks and missing lines after 2 months not using",
        "product": "Smart Tank 7305",
        "body": """Hi, I was abroad for 2 months and the printer was not used. Now every print has white horizontal lines, and the cyan is almost missing, the blue in photos looks green.

Ink tanks are all more than half full. I did already one "Clean Printhead" from the menu but not big difference. Print quality report also shows cyan block with many gaps.

Is the printhead dried? How many cleanings is safe to do, I don't want to waste all ink. Printer is 1.5 year old.""",
        "tags": ["print-quality", "printhead", "smart-tank"],
        "days_ago": 6.5,
        "views": 142,
        "comments": [
            {"author": "ingrid", "body": "Let it rest for an hour between cleanings. The ink needs time to soak through.", "hours_after": 2.0},
        ],
        "answers": [
            {
                "author": "frank",
                "body": """After a long break that is very common and usually recoverable.

1. Run the cleaning **level 1**, then print a quality report.
2. If cyan is still gappy, wait 30-60 minutes, then run **level 2**, report again.
3. Only then level 3. Don't run more than three cycles in a row.
4. If it's still bad the next day, repeat the sequence once. Overnight rest helps a lot.

If it never recovers, the cyan printhead can be replaced separately on this model, it's a customer-replaceable part.""",
                "hours_after": 3.0,
                "accepted": False,
                "comments": [
                    {"author": "piotr", "body": "Did 3 cleanings with pause. It's better, black is perfect now, but cyan still has some lines. I will try again tomorrow like you say.", "hours_after": 9.5},
                ],
            },
            {
                "author": "tom",
                "body": """Another trick that worked for my old inkjet: print a full page of solid cyan a few times (make a page in Word with a big cyan rectangle). It pulls ink through the nozzles faster than the cleaning cycle and wastes less ink.""",
                "hours_after": 30.0,
                "accepted": False,
                "comments": [],
            },
        ],
    },
    {
        "board": "printers",
        "author": "jonas",
        "title": "Ubuntu 24.04: print jobs to OfficeJet stay in 'processing' forever (CUPS)",
        "product": "OfficeJet Pro 9015e",
        "os": "Ubuntu 24.04",
        "body": """Fresh Ubuntu 24.04 install on my home desktop. The network OfficeJet Pro 9010 was detected automatically and appears in Settings, but every job sits in the queue as "processing" and nothing happens. Test page from the printer's own menu works.

Printing from the same network on Windows and from my phone works fine. Firewall (ufw) is inactive.

Which logs should I look at? I'm comfortable with the terminal but new to CUPS.""",
        "tags": ["linux", "cups", "ubuntu"],
        "days_ago": 8.1,
        "views": 173,
        "comments": [],
        "answers": [
            {
                "author": "nadia",
                "body": """Start by checking what CUPS thinks and which URI it uses:

```bash
lpstat -p -d
lpstat -v
lpinfo -v | grep -i ipp
```

The auto-detected queue sometimes uses a `dnssd://` or old hplip URI that stalls. Create a driverless IPP Everywhere queue instead and test that:

```bash
sudo lpadmin -p OfficeJet -E -v ipp://192.168.1.50/ipp/print -m everywhere
lp -d OfficeJet /usr/share/cups/data/testprint
```

If that also hangs, look at `/var/log/cups/error_log` after setting `sudo cupsctl --debug-logging`.""",
                "hours_after": 2.5,
                "accepted": False,
                "comments": [
                    {"author": "jonas", "body": "lpstat says 'printer OfficeJet is idle' but the job is still in the queue. The lpadmin queue behaves the same. Will post the debug log tonight.", "hours_after": 6.0},
                ],
            },
            {
                "author": "marcus",
                "body": """Check whether the printer has "IPP" enabled and whether it requires IPPS only. Some recent firmware versions disable plain IPP on port 631 by default - then the job connects but never gets accepted. Try `ipps://` in the lpadmin command.""",
                "hours_after": 10.0,
                "accepted": False,
                "comments": [],
            },
        ],
    },
    {
        "board": "printers",
        "author": "aisha",
        "title": "New fibre router - WPS button won't reconnect my DeskJet printer",
        "body": """We got a new fibre router from our provider yesterday and the printer (DeskJet 2755e) lost Wi-Fi, which I expected. But I can't get it back on.

I pressed the WPS button on the router and then the wireless button on the printer like the manual says. The wireless light blinks for two minutes and then goes off. Tried four times.

The router supports WPS (there's a little WPS light that blinks too). My laptop and phones all connected fine with the new password.""",
        "tags": ["wireless", "setup", "deskjet"],
        "days_ago": 5.6,
        "views": 88,
        "comments": [
            {"author": "piotr", "body": "Some new routers have only 5 GHz WPS by default. This printer is only 2.4 GHz I think.", "hours_after": 1.0},
        ],
        "answers": [
            {
                "author": "oliver",
                "body": """Skip WPS and use the app setup instead:

1. On the printer, press and hold **Wireless + Cancel** for about 5 seconds to restore network settings. The power light blinks.
2. Within two hours, open the printer app on your phone, tap **Add printer** and follow the Wi-Fi setup. It connects to the printer directly and then hands over your new Wi-Fi password.
3. Make sure Bluetooth and location are on on the phone, the app needs them for setup.""",
                "hours_after": 2.2,
                "accepted": False,
                "comments": [
                    {"author": "aisha", "body": "Restored network settings, the light blinks, but the app just says 'searching for printers' and finds nothing.", "hours_after": 7.5},
                    {"author": "oliver", "body": "Is the router's 2.4 GHz band enabled at all? Some fibre routers ship with a combined band name, worth checking in the router page.", "hours_after": 9.0},
                ],
            },
        ],
    },
    {
        "board": "printers",
        "author": "greg",
        "title": "Automatic duplex printing: back side comes out upside down",
        "body": """OfficeJet Pro 9025e, Windows 11, latest driver from the support site. When I print double-sided from Word or Acrobat, the second side is rotated 180 degrees compared to the front, so every other page is upside down when you flip the sheet.

I have "Print on both sides" set to "Flip on long edge", which should be right for portrait pages. If I set "Flip on short edge" it's correct for portrait but then wrong for landscape documents.

Is this a driver bug, or am I misunderstanding the setting?""",
        "tags": ["duplex", "drivers", "windows-11"],
        "days_ago": 1.3,
        "views": 23,
        "comments": [],
        "answers": [],
    },
    {
        "board": "printers",
        "author": "tom",
        "title": "Black ink shows almost full but printer only gives blank pages",
        "body": """My DeskJet 3755 prints colour fine but black text comes out completely blank. The ink level in the software shows the black cartridge is about 80% full. It's a genuine cartridge bought two weeks ago from the supermarket.

I already took it out and put it back, and I removed the little plastic tape (at least I think I did, there's nothing orange on it now). Cleaning cycle done twice. Any ideas before I buy yet another cartridge?""",
        "tags": ["ink-cartridges", "deskjet"],
        "days_ago": 0.6,
        "views": 9,
        "comments": [],
        "answers": [],
    },
    {
        "board": "printers",
        "author": "klaus",
        "title": "Fax says 'No dial tone' since provider change to VoIP router",
        "body": """Hello,

my OfficeJet Pro 8730 could send fax without problem on the old analog line. Now the provider has changed everything to VoIP and we have a new router with phone ports. The telephone on the same port works, I can call.

But the fax says always "No dial tone" and the fax test report fails at the "Dial tone detection" step. I have set the country to Germany in the fax settings.

Is fax over VoIP not possible anymore? I need it for one customer who still want fax (yes, in 2024).""",
        "tags": ["fax", "voip"],
        "days_ago": 3.8,
        "views": 41,
        "comments": [
            {"author": "ingrid", "body": "Our office had the same issue. Interested in the answer too.", "hours_after": 20.0},
        ],
        "answers": [],
    },
]
