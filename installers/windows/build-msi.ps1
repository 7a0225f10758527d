# Builds installers\target\Shipdeck-<version>.msi on Windows (needs a JDK 17 with jpackage and the WiX Toolset 3.x
# on the PATH). Run from the repository root after: .\mvnw.cmd -DskipTests package
#   powershell -ExecutionPolicy Bypass -File installers\windows\build-msi.ps1
$ErrorActionPreference = "Stop"
$Root = Resolve-Path "$PSScriptRoot\..\.."
$Out = "$Root\installers\target"
$Version = if ($env:SHIPDECK_VERSION) { $env:SHIPDECK_VERSION -replace '-SNAPSHOT$','' } else { "0.1.0" }
$AppJar = "$Root\app\target\shipdeck-desktop.jar"
$CliJar = "$Root\agent-headless\target\shipdeck.jar"
foreach ($j in @($AppJar, $CliJar)) { if (-not (Test-Path $j)) { throw "$j is missing; build first: .\mvnw.cmd -DskipTests package" } }
Remove-Item -Recurse -Force "$Out\runtime", "$Out\input" -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force "$Out\input" | Out-Null
Copy-Item $AppJar, $CliJar "$Out\input"
$Modules = "java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.unsupported,jdk.zipfs,jdk.localedata,java.security.jgss"
& jlink --add-modules $Modules --strip-debug --no-header-files --no-man-pages --compress=2 --output "$Out\runtime"
if ($LASTEXITCODE -ne 0) { throw "jlink failed" }
& jpackage --type msi --name Shipdeck --app-version $Version --vendor Shipdeck `
  --description "Desktop console for Kubernetes deployments" `
  --input "$Out\input" --main-jar shipdeck-desktop.jar --main-class dev.shipdeck.app.Launcher `
  --runtime-image "$Out\runtime" --icon "$Root\icons\shipdeck.ico" `
  --add-launcher "shipdeck=$Root\installers\linux\shipdeck-cli.properties" `
  --win-menu --win-menu-group Shipdeck --win-shortcut --win-dir-chooser --win-per-user-install `
  --win-upgrade-uuid 6f0f4f4e-5b1f-4d8c-9c8e-5d1f6a0b7c21 --dest $Out
if ($LASTEXITCODE -ne 0) { throw "jpackage failed" }
Get-ChildItem "$Out\*.msi"
