#!/usr/bin/env bash
# Re-make the README's pictures from real output: build with previews into a
# scratch folder and copy the PNGs rendered from the PDFs (150 dpi).
# The web form's screenshots are made by docs/make-web-pictures.py.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build() { "$py" generate.py build --finish office --previews "$@" >/dev/null; }

build --out "$tmp/national"
build --out "$tmp/school" --school content/schools/example-school.yaml --layout who-to-tell-a4
"$py" generate.py build --finish print-shop --previews --out "$tmp/shop" \
  --layout wallet-card --layout staff-leaflet >/dev/null
build --out "$tmp/cy" --locale cy --layout poster-a4-bilingual --layout wallet-card-bilingual
build --out "$tmp/ni" --nation northern-ireland --layout staff-leaflet --layout staff-guide
for team in small-team large-team; do  # the "who to tell" poster for a small and a large (fictional) team
  build --out "$tmp/$team" --school "docs/examples/$team.yaml" --layout who-to-tell-a4
done

p="$tmp/national/previews"
cp "$p/poster-a4-p1.png" docs/images/poster-a4.png
cp "$p/pupils-poster-a4-p1.png" docs/images/pupils-poster-a4.png
cp "$p/wallet-card-p1.png" "$p/wallet-card-p2.png" "$p/staff-leaflet-p1.png" "$p/staff-leaflet-p2.png" docs/images/
cp "$p/staff-guide-p1.png" "$p/staff-guide-p2.png" "$p/staff-guide-p3.png" docs/images/
cp "$p/wallet-card-sheet-p1.png" docs/images/wallet-card-sheet.png
cp "$p/how-to-print-p1.png" docs/images/how-to-print.png
cp "$tmp/school/previews/example-school/who-to-tell-a4-p1.png" docs/images/who-to-tell-a4.png
cp "$tmp/cy/previews/wales/cy/poster-a4-bilingual-p1.png" docs/images/poster-a4-bilingual.png
cp "$tmp/ni/previews/northern-ireland/staff-guide-p3.png" docs/images/staff-guide-northern-ireland-p3.png
cp "$tmp/ni/previews/northern-ireland/staff-leaflet-p2.png" docs/images/staff-leaflet-northern-ireland-p2.png
cp "$tmp/small-team/previews/small-team-example/who-to-tell-a4-p1.png" docs/images/who-to-tell-small-team.png
cp "$tmp/large-team/previews/large-team-example/who-to-tell-a4-p1.png" docs/images/who-to-tell-large-team.png
cp "$tmp/shop/previews/print-shop/wallet-card-p1.png" docs/images/print-shop-wallet-card-p1.png
cp "$tmp/shop/previews/print-shop/staff-leaflet-p1.png" docs/images/print-shop-staff-leaflet-p1.png

# the reprint list's picture: the example school's lead changes (to another fictional name)
# between two builds into one folder; the second build outlines what changed
cp -r content "$tmp/content"
"$py" generate.py build --finish office --out "$tmp/reprint" --content "$tmp/content" \
  --school "$tmp/content/schools/example-school.yaml" --layout who-to-tell-a4 >/dev/null
sed -i 's/^  name: Sam Example$/  name: Sasha Example/' "$tmp/content/schools/example-school.yaml"
"$py" generate.py build --finish office --out "$tmp/reprint" --content "$tmp/content" --previews \
  --school "$tmp/content/schools/example-school.yaml" --layout who-to-tell-a4 >/dev/null
cp "$tmp/reprint/previews/example-school/who-to-tell-a4-p1-changes.png" docs/images/reprint-who-to-tell-a4.png
echo "pictures updated in docs/images/"
