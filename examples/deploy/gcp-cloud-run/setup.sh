#!/usr/bin/env bash
# Creates what the Cloud Run manifests use (not run by this repository): service accounts with least privilege,
# Cloud SQL for PostgreSQL, secrets, the Pub/Sub topic with a filtered subscription and a dead-letter topic per
# Tiffin subscription, and the Cloud Scheduler tick. Usage: PROJECT=... REGION=... IMAGE=... ./setup.sh
set -euo pipefail
: "${PROJECT:?}" "${REGION:?}" "${IMAGE:?}"
gcloud config set project "$PROJECT"
gcloud services enable run.googleapis.com sqladmin.googleapis.com pubsub.googleapis.com secretmanager.googleapis.com cloudscheduler.googleapis.com

for sa in tiffin-api tiffin-worker tiffin-migrate tiffin-scheduler; do
  gcloud iam service-accounts create "$sa" --display-name "$sa" || true
done
sa() { echo "$1@$PROJECT.iam.gserviceaccount.com"; }

# PostgreSQL; every Tiffin service account connects through the Cloud SQL connector.
gcloud sql instances create tiffin --database-version POSTGRES_16 --region "$REGION" --tier db-custom-1-3840 --availability-type REGIONAL
gcloud sql databases create tiffin --instance tiffin
DB_PASSWORD=$(openssl rand -hex 24)
gcloud sql users create tiffin --instance tiffin --password "$DB_PASSWORD"
for account in tiffin-api tiffin-worker tiffin-migrate; do
  gcloud projects add-iam-policy-binding "$PROJECT" --member "serviceAccount:$(sa $account)" --role roles/cloudsql.client
done

# Secrets, each readable only by the accounts that need it.
printf 'postgres://tiffin:%s@/tiffin?host=/cloudsql/%s:%s:tiffin' "$DB_PASSWORD" "$PROJECT" "$REGION" | gcloud secrets create tiffin-database-url --data-file -
openssl rand -hex 32 | tr -d '\n' | gcloud secrets create tiffin-jwt-secret --data-file -
for account in tiffin-api tiffin-worker tiffin-migrate; do
  gcloud secrets add-iam-policy-binding tiffin-database-url --member "serviceAccount:$(sa $account)" --role roles/secretmanager.secretAccessor
done
gcloud secrets add-iam-policy-binding tiffin-jwt-secret --member "serviceAccount:$(sa tiffin-api)" --role roles/secretmanager.secretAccessor

# Pub/Sub: one topic; per subscription a filter on the CloudEvents type, a dead-letter topic after 5 deliveries
# (the code's maxDeliveries) and backoff like the code's (1 s to 60 s).
gcloud pubsub topics create tiffin-order-events
gcloud pubsub topics add-iam-policy-binding tiffin-order-events --member "serviceAccount:$(sa tiffin-worker)" --role roles/pubsub.publisher
gcloud pubsub topics add-iam-policy-binding tiffin-order-events --member "serviceAccount:$(sa tiffin-api)" --role roles/pubsub.viewer
# The API publishes each request's events right after its commit (TIFFIN_PUBLISH_AFTER_COMMIT, on by default).
gcloud pubsub topics add-iam-policy-binding tiffin-order-events --member "serviceAccount:$(sa tiffin-api)" --role roles/pubsub.publisher
declare -A FILTERS=(
  [payment-saga]='attributes.type = "order.placed" OR attributes.type = "courier.assigned" OR attributes.type = "order.delivered" OR attributes.type = "order.cancelled"'
  [kitchen]='attributes.type = "payment.captured"'
  [courier-assignment]='attributes.type = "order.confirmed" OR attributes.type = "order.cancelled"'
  [projections]=''
)
PUBSUB_AGENT="service-$(gcloud projects describe "$PROJECT" --format 'value(projectNumber)')@gcp-sa-pubsub.iam.gserviceaccount.com"
for name in "${!FILTERS[@]}"; do
  gcloud pubsub topics create "tiffin-$name-dead-letters"
  gcloud pubsub subscriptions create "tiffin-$name-dead-letters" --topic "tiffin-$name-dead-letters"
  gcloud pubsub subscriptions create "tiffin-$name" --topic tiffin-order-events \
    ${FILTERS[$name]:+--message-filter "${FILTERS[$name]}"} \
    --dead-letter-topic "tiffin-$name-dead-letters" --max-delivery-attempts 5 \
    --min-retry-delay 1s --max-retry-delay 60s --ack-deadline 60
  gcloud pubsub subscriptions add-iam-policy-binding "tiffin-$name" --member "serviceAccount:$(sa tiffin-worker)" --role roles/pubsub.subscriber
  gcloud pubsub topics add-iam-policy-binding "tiffin-$name-dead-letters" --member "serviceAccount:$(sa tiffin-worker)" --role roles/pubsub.publisher
  gcloud pubsub subscriptions add-iam-policy-binding "tiffin-$name-dead-letters" --member "serviceAccount:$(sa tiffin-worker)" --role roles/pubsub.subscriber
  # The service itself forwards to the dead-letter topic after max deliveries.
  gcloud pubsub topics add-iam-policy-binding "tiffin-$name-dead-letters" --member "serviceAccount:$PUBSUB_AGENT" --role roles/pubsub.publisher
  gcloud pubsub subscriptions add-iam-policy-binding "tiffin-$name" --member "serviceAccount:$PUBSUB_AGENT" --role roles/pubsub.subscriber
done

# Services and the migrate job from one image (the manifests' ${PROJECT}, ${REGION}, ${IMAGE}, ${WORKER_URL}).
export PROJECT REGION IMAGE WORKER_URL=https://pending
render() { envsubst '${PROJECT} ${REGION} ${IMAGE} ${WORKER_URL}' < "$1" > "/tmp/$1"; }
render api.service.yaml
render migrate.job.yaml
gcloud run jobs replace /tmp/migrate.job.yaml --region "$REGION"
gcloud run jobs execute tiffin-migrate --region "$REGION" --wait
gcloud run services replace /tmp/api.service.yaml --region "$REGION"
gcloud run services add-iam-policy-binding tiffin-api --region "$REGION" --member allUsers --role roles/run.invoker
# The worker's URL is known once it exists; deploy it once, then again with its own URL as the tick audience.
render worker.service.yaml
gcloud run services replace /tmp/worker.service.yaml --region "$REGION"
WORKER_URL=$(gcloud run services describe tiffin-worker --region "$REGION" --format 'value(status.url)')
render worker.service.yaml
gcloud run services replace /tmp/worker.service.yaml --region "$REGION"
gcloud run services add-iam-policy-binding tiffin-worker --region "$REGION" --member "serviceAccount:$(sa tiffin-scheduler)" --role roles/run.invoker

# The tick: every minute, with an OIDC token for the scheduler's account and the worker's tick URL as audience.
gcloud scheduler jobs create http tiffin-tick --location "$REGION" --schedule "* * * * *" \
  --uri "$WORKER_URL/tasks/tick" --http-method POST \
  --oidc-service-account-email "$(sa tiffin-scheduler)" --oidc-token-audience "$WORKER_URL/tasks/tick"
