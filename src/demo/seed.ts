/**
 * The demo of `npm start`: a company with a place, a queue, a counter, an operator and keys in the
 * queue service; an app in the push server whose providers are the bundled fakes, a source, and the
 * queue service's webhook pointing at that source's ingest URL, signed with its secret. All four
 * steps work out of the box. Made once through the admin APIs, remembered in the data
 * dir; on later starts only the fakes' fresh credentials are given to the push app again.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakePushProviders } from '../fakes/push-providers.js';
import { adminClient, type AdminClient } from '../clients/admin-client.js';

export interface DemoInfo {
  companyId: string;
  placeId: string;
  queueId: string;
  endpointId: string;
  bookingKey: string;
  operatorKey: string;
  operator: { loginId: string; password: string };
  pushAppId: string;
  pushAppKey: string;
  vapidPublicKey: string;
  webhookId: string;
}

export interface DemoTargets {
  queueUrl: string;
  pushUrl: string;
  adminToken: string;
  dataDir: string;
  fakes: FakePushProviders;
}

const DEMO_FILE = 'demo.json';
const DEMO_OPERATOR = { loginId: 'demo', password: 'demo-operator' };

export async function ensureDemo(targets: DemoTargets): Promise<DemoInfo> {
  const queue = adminClient({ url: targets.queueUrl, token: targets.adminToken });
  const push = adminClient({ url: targets.pushUrl, token: targets.adminToken });
  const file = join(targets.dataDir, DEMO_FILE);
  if (existsSync(file)) {
    const info = JSON.parse(readFileSync(file, 'utf8')) as DemoInfo;
    await push.call('PATCH', `/admin/apps/${info.pushAppId}`, providerCredentials(targets.fakes));
    return info;
  }
  const info = await createDemo(queue, push, targets);
  writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return info;
}

function providerCredentials(fakes: FakePushProviders) {
  const { apns, fcm } = fakes;
  return {
    apns: {
      keyP8: apns.keyP8,
      keyId: apns.keyId,
      teamId: apns.teamId,
      topic: apns.topic,
      baseUrl: apns.baseUrl,
      sandboxBaseUrl: apns.baseUrl,
      ca: apns.ca,
    },
    fcm: { serviceAccount: fcm.serviceAccount as unknown as Record<string, unknown>, baseUrl: fcm.baseUrl },
  };
}

async function createDemo(queue: AdminClient, push: AdminClient, targets: DemoTargets): Promise<DemoInfo> {
  const app = await push.call<{ appId: string; appKey: string; vapidPublicKey: string }>('POST', '/admin/apps', {
    name: 'queuebell demo app',
    // Who is writing, not "Your ticket": the text itself starts with "Ticket A004", and a title
    // saying it too reads "Your ticket Ticket A004".
    titles: { default: 'Town Hall', fr: 'Mairie', es: 'Ayuntamiento', de: 'Rathaus', it: 'Comune', nl: 'Gemeentehuis' },
    ...providerCredentials(targets.fakes),
  });
  const source = await push.call<{ sourceId: string; secret: string; ingestUrl: string }>('POST', `/admin/apps/${app.appId}/sources`, {
    name: 'demo queue service',
  });

  const company = await queue.call<{ id: string }>('POST', '/admin/companies', { name: 'Demo Town Hall' });
  const key = (scopes: string[], name: string) =>
    queue.call<{ key: string }>('POST', `/admin/companies/${company.id}/keys`, { scopes, name }).then((k) => k.key);
  const place = await queue.call<{ id: string }>('POST', `/admin/companies/${company.id}/places`, {
    name: 'Town Hall, Paris',
    names: {
      fr_FR: 'Mairie de Paris',
      es_ES: 'Ayuntamiento de París',
      de_DE: 'Rathaus Paris',
      it_IT: 'Municipio di Parigi',
      nl_NL: 'Stadhuis van Parijs',
    },
    timeZone: 'Europe/Paris',
    lang: 'en_US',
    address: 'Place de l’Hôtel de Ville',
    city: 'Paris',
    zip: '75004',
    country: 'FR',
    position: { lat: 48.8566, lng: 2.3522 },
  });
  const queueRow = await queue.call<{ id: string }>('POST', `/admin/places/${place.id}/queues`, {
    name: 'ID cards and passports',
    names: {
      fr_FR: "Cartes d'identité et passeports",
      es_ES: 'Documentos de identidad y pasaportes',
      de_DE: 'Personalausweise und Reisepässe',
      it_IT: "Carte d'identità e passaporti",
      nl_NL: 'Identiteitskaarten en paspoorten',
    },
    labelPrefix: 'A',
    settings: { alertPositions: [2, 1] },
  });
  const endpoint = await queue.call<{ id: string }>('POST', `/admin/places/${place.id}/endpoints`, {
    name: 'Counter 1',
    // The counter's name in each language, as a board or a text in that language says it.
    names: { fr_FR: 'Guichet 1', es_ES: 'Ventanilla 1', de_DE: 'Schalter 1', it_IT: 'Sportello 1', nl_NL: 'Loket 1' },
    queueIds: [queueRow.id],
  });
  await queue.call('POST', `/admin/companies/${company.id}/operators`, { ...DEMO_OPERATOR, name: 'Demo operator' });
  const webhook = await queue.call<{ id: string }>('POST', `/admin/companies/${company.id}/webhooks`, {
    url: source.ingestUrl,
    secret: source.secret,
    description: 'The demo push server',
  });
  // Receipts back from the push server: the queue service gives the URL and secret, the source takes them.
  const receipts = await queue.call<{ receiptUrl: string; receiptSecret: string }>(
    'POST',
    `/admin/webhooks/${webhook.id}/receipt-secret`,
    {},
  );
  await push.call('PUT', `/admin/apps/${app.appId}/sources/${source.sourceId}/receipts`, {
    url: receipts.receiptUrl,
    secret: receipts.receiptSecret,
  });
  return {
    companyId: company.id,
    placeId: place.id,
    queueId: queueRow.id,
    endpointId: endpoint.id,
    bookingKey: await key(['booking'], 'demo app'),
    operatorKey: await key(['operator'], 'demo kiosk'),
    operator: DEMO_OPERATOR,
    pushAppId: app.appId,
    pushAppKey: app.appKey,
    vapidPublicKey: app.vapidPublicKey,
    webhookId: webhook.id,
  };
}
