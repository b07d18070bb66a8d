#!/usr/bin/env bash
# Seeds an empty models volume with the models shipped in the image, then runs the service.
set -euo pipefail
models="${OTAI__OpenTicketAI__ModelsPath:-/models}"
seed="${SEED_MODELS_PATH:-/app/seed-models}"
if [ -d "$seed" ] && [ -z "$(ls -A "$models" 2>/dev/null)" ]; then
  echo "Seeding empty $models with the models shipped in the image"
  cp -r "$seed"/. "$models"/
fi
exec dotnet /app/OpenTicketAI.Api.dll "$@"
