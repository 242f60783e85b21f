// Tiffin's Service Bus topology: one topic for every order event, one session-enabled subscription per consumer
// with the rules the adapter (packages/adapters-azure/src/topology.ts) describes, and data-plane roles for the
// Container Apps' managed identity. Deploy: az deployment group create -g <rg> -f servicebus.bicep -p principalId=<id>

@description('Service Bus namespace name (globally unique).')
param namespaceName string

param location string = resourceGroup().location

@description('Object id of the managed identity the API and worker apps run as.')
param principalId string

@description('Deliveries before Service Bus itself dead-letters (the worker dead-letters on its own last attempt; keep equal to its maxDeliveries).')
param maxDeliveryCount int = 5

var topicName = 'tiffin.order-events'
var replayProperty = 'tiffin_replay_to'

// Event types per consumer, as the worker subscribes them; an empty list takes every event.
var subscriptions = [
  { name: 'payment-saga', eventTypes: ['order.placed', 'courier.assigned', 'order.delivered', 'order.cancelled'] }
  { name: 'kitchen', eventTypes: ['payment.captured'] }
  { name: 'courier-assignment', eventTypes: ['order.confirmed', 'order.cancelled'] }
  { name: 'projections', eventTypes: [] }
]

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: namespaceName
  location: location
  // Standard: topics, sessions, duplicate detection; 256 KB messages.
  sku: { name: 'Standard', tier: 'Standard' }
  properties: { disableLocalAuth: true, minimumTlsVersion: '1.2' }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = {
  parent: namespace
  name: topicName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
  }
}

resource subscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [for s in subscriptions: {
  parent: topic
  name: s.name
  properties: {
    requiresSession: true
    lockDuration: 'PT1M'
    maxDeliveryCount: maxDeliveryCount
    deadLetteringOnFilterEvaluationExceptions: true
  }
}]

// `$Default` (which would take every message) is replaced by the first rule: the catch-all that leaves out
// other subscriptions' replays, or the first event type.
resource defaultRule 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2022-10-01-preview' = [for (s, i) in subscriptions: {
  parent: subscription[i]
  name: '$Default'
  properties: empty(s.eventTypes) ? {
    filterType: 'SqlFilter'
    sqlFilter: { sqlExpression: '${replayProperty} IS NULL' }
  } : {
    filterType: 'CorrelationFilter'
    correlationFilter: { label: s.eventTypes[0] }
  }
}]

// The remaining event types, one correlation rule each (rules are OR-ed).
resource typeRules 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2022-10-01-preview' = [for rule in flatten(map(range(0, length(subscriptions)), i => map(skip(subscriptions[i].eventTypes, 1), t => { index: i, type: t }))): {
  parent: subscription[rule.index]
  name: 'type-${rule.type}'
  properties: {
    filterType: 'CorrelationFilter'
    correlationFilter: { label: rule.type }
  }
}]

// Dead letters replayed by `tiffin dead-letters replay` carry the subscription they return to.
resource replayRule 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2022-10-01-preview' = [for (s, i) in subscriptions: {
  parent: subscription[i]
  name: 'replay'
  properties: {
    filterType: 'CorrelationFilter'
    correlationFilter: { properties: { '${replayProperty}': s.name } }
  }
}]

// Data-plane roles: send (relay, replays) and receive (subscriptions, dead-letter queues). No Manage rights.
var dataSender = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
var dataReceiver = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'

resource roles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [dataSender, dataReceiver]: {
  scope: namespace
  name: guid(namespace.id, principalId, role)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

output namespaceHost string = '${namespace.name}.servicebus.windows.net'
