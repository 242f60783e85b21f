// Tiffin on Azure Container Apps from one image (not applied by this repository): Azure Database for PostgreSQL,
// a Service Bus topic with one session-enabled subscription per Tiffin subscription, the API app (`serve`), the
// worker app (`work`, pulling, scaled by KEDA `azure-servicebus` rules) and `migrate` as a manual Container Apps job.
// az deployment group create -g tiffin -f main.bicep -p image=... postgresPassword=... jwtSecret=...

param location string = resourceGroup().location
@description('The Tiffin image, e.g. tiffin.azurecr.io/tiffin:0.1.0')
param image string
@description('Registry server of the image; pulled with the apps\' managed identity (AcrPull granted outside this file).')
param registryServer string
@secure()
param postgresPassword string
@secure()
@minLength(32)
param jwtSecret string

var topicName = 'tiffin.order-events'
// Keep in step with the code's subscriptions and event types (packages/core messaging topology).
var subscriptions = [
  { name: 'payment-saga', types: ['order.placed', 'courier.assigned', 'order.delivered', 'order.cancelled'] }
  { name: 'kitchen', types: ['payment.captured'] }
  { name: 'courier-assignment', types: ['order.confirmed', 'order.cancelled'] }
  { name: 'projections', types: [] }
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'tiffin'
  location: location
}

// --- PostgreSQL ------------------------------------------------------------------------------------------------

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2023-06-01-preview' = {
  name: 'tiffin-${uniqueString(resourceGroup().id)}'
  location: location
  sku: { name: 'Standard_B2s', tier: 'Burstable' }
  properties: {
    version: '16'
    administratorLogin: 'tiffin'
    administratorLoginPassword: postgresPassword
    storage: { storageSizeGB: 32 }
    backup: { backupRetentionDays: 7 }
    highAvailability: { mode: 'Disabled' }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2023-06-01-preview' = {
  parent: postgres
  name: 'tiffin'
}

resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2023-06-01-preview' = {
  parent: postgres
  name: 'allow-azure-services'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

var databaseUrl = 'postgres://tiffin:${postgresPassword}@${postgres.properties.fullyQualifiedDomainName}:5432/tiffin?sslmode=require'

// --- Service Bus -----------------------------------------------------------------------------------------------

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: 'tiffin-${uniqueString(resourceGroup().id)}'
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = {
  parent: serviceBus
  name: topicName
}

// Sessions keep each order's events in sequence across competing workers; after 5 deliveries (the code's
// maxDeliveries) Service Bus moves a message to the subscription's dead-letter queue.
resource subscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [for s in subscriptions: {
  parent: topic
  name: s.name
  properties: {
    requiresSession: true
    maxDeliveryCount: 5
    lockDuration: 'PT1M'
    deadLetteringOnMessageExpiration: true
  }
}]

// One application authorisation rule, send and listen only (no manage): the apps and the KEDA scaler use it.
resource appRule 'Microsoft.ServiceBus/namespaces/AuthorizationRules@2022-10-01-preview' = {
  parent: serviceBus
  name: 'tiffin-app'
  properties: { rights: ['Send', 'Listen'] }
}

var serviceBusConnection = appRule.listKeys().primaryConnectionString

// --- Container Apps --------------------------------------------------------------------------------------------

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: 'tiffin'
  location: location
  properties: {}
}

var secrets = [
  { name: 'database-url', value: databaseUrl }
  { name: 'servicebus-connection', value: serviceBusConnection }
  { name: 'jwt-secret', value: jwtSecret }
]
var registries = [{ server: registryServer, identity: identity.id }]

resource api 'Microsoft.App/containerApps@2024-03-01' = {
  name: 'tiffin-api'
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } }
  properties: {
    environmentId: environment.id
    configuration: {
      ingress: { external: true, targetPort: 8080 }
      secrets: secrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'api'
          image: image
          args: ['serve']
          env: [
            { name: 'TIFFIN_BROKER', value: 'azure' }
            { name: 'TIFFIN_DATABASE_URL', secretRef: 'database-url' }
            { name: 'SERVICEBUS_CONNECTION_STRING', secretRef: 'servicebus-connection' }
            { name: 'TIFFIN_JWT_SECRET', secretRef: 'jwt-secret' }
          ]
          probes: [
            { type: 'Liveness', httpGet: { path: '/health/live', port: 8080 } }
            { type: 'Readiness', httpGet: { path: '/health/ready', port: 8080 } }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 10 }
    }
  }
}

// The worker pulls. One replica always runs the outbox relay and the timers; KEDA adds replicas while a
// subscription has a backlog (one rule per subscription).
resource worker 'Microsoft.App/containerApps@2024-03-01' = {
  name: 'tiffin-worker'
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } }
  properties: {
    environmentId: environment.id
    configuration: {
      secrets: secrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: image
          args: ['work']
          env: [
            { name: 'TIFFIN_BROKER', value: 'azure' }
            { name: 'TIFFIN_DELIVERY', value: 'pull' }
            { name: 'TIFFIN_DATABASE_URL', secretRef: 'database-url' }
            { name: 'SERVICEBUS_CONNECTION_STRING', secretRef: 'servicebus-connection' }
          ]
          probes: [
            { type: 'Liveness', httpGet: { path: '/health/live', port: 8080 } }
            { type: 'Readiness', httpGet: { path: '/health/ready', port: 8080 } }
          ]
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: 10
        rules: [for s in subscriptions: {
          name: 'backlog-${s.name}'
          custom: {
            type: 'azure-servicebus'
            metadata: { topicName: topicName, subscriptionName: s.name, messageCount: '50' }
            auth: [{ secretRef: 'servicebus-connection', triggerParameter: 'connection' }]
          }
        }]
      }
    }
  }
}

resource migrate 'Microsoft.App/jobs@2024-03-01' = {
  name: 'tiffin-migrate'
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } }
  properties: {
    environmentId: environment.id
    configuration: {
      triggerType: 'Manual'
      replicaTimeout: 600
      replicaRetryLimit: 1
      manualTriggerConfig: { parallelism: 1, replicaCompletionCount: 1 }
      secrets: [{ name: 'database-url', value: databaseUrl }]
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'migrate'
          image: image
          args: ['migrate']
          env: [{ name: 'TIFFIN_DATABASE_URL', secretRef: 'database-url' }]
        }
      ]
    }
  }
}

output apiUrl string = 'https://${api.properties.configuration.ingress.fqdn}'
