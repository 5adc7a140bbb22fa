#!/usr/bin/env bash
# Debian packages the project needs: Tesseract with Russian data, the fonts the test-page
# renderer types with, and venv support; with --test also Debian's Chromium and ChromeDriver for
# the review page's browser tests (no browser download works offline). Installs only what is
# missing (needs root).
set -euo pipefail
need=()
if [ "${1:-}" = "--test" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
fi
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx rus; } || need+=(tesseract-ocr-rus)
# eng (rus+eng reads a Roman month's I, V, X as Latin) and the Cyrillic script model
# (tessdata/Cyrillic.traineddata, lang "Cyrillic"): pipeline/extract/reread.py's variants
{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx eng; } || need+=(tesseract-ocr-eng)
{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qxE '(script/)?Cyrillic'; } || need+=(tesseract-ocr-script-cyrl)
# typewriter faces with Cyrillic (tools/synth/render.py TYPED_FONTS) and the printed/stamp faces
for pf in fonts-freefont-ttf:truetype/freefont/FreeMono.ttf \
    fonts-liberation:truetype/liberation/LiberationMono-Regular.ttf \
    fonts-dejavu-core:truetype/dejavu/DejaVuSans-Bold.ttf fonts-croscore:truetype/croscore/Cousine-Regular.ttf \
    fonts-noto-mono:truetype/noto/NotoMono-Regular.ttf fonts-hack:truetype/hack/Hack-Regular.ttf \
    fonts-jetbrains-mono:truetype/jetbrains-mono/JetBrainsMono-Regular.ttf \
    fonts-firacode:truetype/firacode/FiraCode-Regular.ttf fonts-agave:truetype/agave/agave-r-autohinted.ttf \
    fonts-mononoki:truetype/mononoki/mononoki-Regular.ttf fonts-go:fonts-go/Go-Mono.ttf \
    fonts-3270:truetype/3270/3270-Regular.ttf fonts-terminus:truetype/terminus \
    fonts-fantasque-sans:truetype/fantasque-sans fonts-monoid:truetype/monoid/Monoid-Regular.ttf; do
  [ -e "/usr/share/fonts/${pf#*:}" ] || need+=("${pf%%:*}")
done
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${need[*]}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
