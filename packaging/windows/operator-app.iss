; Inno Setup script for the Windows installer (per-user, no administrator rights).
; Build the one-folder bundle first on Windows:
;   .venv\Scripts\pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\operator-app.spec
; then:  iscc /DAppVersion=<operator_app.__version__> packaging\windows\operator-app.iss
#ifndef AppVersion
  #error Pass /DAppVersion=<version> (the value of operator_app.__version__)
#endif

[Setup]
AppId={{6B0F4E55-2C1F-4C5E-9B7A-0D6C1E7A5A11}
AppName=Operator
AppVersion={#AppVersion}
AppPublisher=operator-app
DefaultDirName={localappdata}\Programs\operator-app
DefaultGroupName=Operator
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=operator-app-{#AppVersion}-windows-x64-setup
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2
SolidCompression=yes
UninstallDisplayIcon={app}\operator-app.exe

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked
Name: "autostart"; Description: "Start Operator when I sign in to Windows"; Flags: unchecked
Name: "urlhandlers"; Description: "Open tel:, callto: and sip: links with Operator"

[Files]
Source: "..\..\dist\operator-app\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Operator"; Filename: "{app}\operator-app.exe"
Name: "{group}\Uninstall Operator"; Filename: "{uninstallexe}"
Name: "{userdesktop}\Operator"; Filename: "{app}\operator-app.exe"; Tasks: desktopicon

[Registry]
; Autostart for this user only.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "operator-app"; ValueData: """{app}\operator-app.exe"""; Flags: uninsdeletevalue; Tasks: autostart
; URL protocols: a click on tel:/callto:/sip: hands the number to the running window ("pop").
Root: HKCU; Subkey: "Software\Classes\tel"; ValueType: string; ValueData: "URL:tel Protocol"; Flags: uninsdeletekey; Tasks: urlhandlers
Root: HKCU; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Tasks: urlhandlers
Root: HKCU; Subkey: "Software\Classes\tel\shell\open\command"; ValueType: string; ValueData: """{app}\operator-app.exe"" pop ""%1"""; Tasks: urlhandlers
Root: HKCU; Subkey: "Software\Classes\callto"; ValueType: string; ValueData: "URL:callto Protocol"; Flags: uninsdeletekey; Tasks: urlhandlers
Root: HKCU; Subkey: "Software\Classes\callto"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Tasks: urlhandlers
Root: HKCU; Subkey: "Software\Classes\callto\shell\open\command"; ValueType: string; ValueData: """{app}\operator-app.exe"" pop ""%1"""; Tasks: urlhandlers
Root: HKCU; Subkey: "Software\Classes\sip"; ValueType: string; ValueData: "URL:sip Protocol"; Flags: uninsdeletekey; Tasks: urlhandlers
Root: HKCU; Subkey: "Software\Classes\sip"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Tasks: urlhandlers
Root: HKCU; Subkey: "Software\Classes\sip\shell\open\command"; ValueType: string; ValueData: """{app}\operator-app.exe"" pop ""%1"""; Tasks: urlhandlers

[Run]
Filename: "{app}\operator-app.exe"; Description: "Start Operator now"; Flags: nowait postinstall skipifsilent
