// An OpenID Connect provider that is not the portal's, for the identity tests: oidc-provider on loopback with two
// accounts, one whose sign-in reports amr ["pwd"] and one ["pwd","mfa"]. Pages are minimal and load nothing remote.
// Usage: PORT=<port> PORTAL=<portal origin> node server.mjs   (prints "listening <issuer>" when ready)
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const portal = process.env.PORTAL;
if (!port || !portal) {
  console.error('PORT and PORTAL are required');
  process.exit(2);
}

const issuer = `http://127.0.0.1:${port}`;
const accounts = {
  'pwd-user': { name: 'Pete Password', roles: ['Requester'], amr: ['pwd'] },
  'mfa-user': { name: 'Mia Mfa', roles: ['Approver'], amr: ['pwd', 'mfa'] },
};

const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'portal',
    client_secret: 'portal-test-secret',
    redirect_uris: [`${portal}/signin-oidc`],
    post_logout_redirect_uris: [`${portal}/signout-callback-oidc`],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: {
    // What the sign-in proved travels with the openid scope, so it is always in the ID token.
    acr: null, amr: null, auth_time: null, iss: null, sid: null, openid: ['sub', 'amr', 'auth_time', 'acr'], profile: ['name'], roles: ['roles'],
  },
  scopes: ['openid', 'profile', 'roles'],
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: ['identity-test-cookie-key'] },
  findAccount: async (ctx, id) => (accounts[id] ? {
    accountId: id,
    claims: async () => ({ sub: id, name: accounts[id].name, roles: accounts[id].roles }),
  } : undefined),
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out', `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`);
      },
      postLogoutSuccessSource: async (ctx) => { ctx.body = page('Signed out', ''); },
    },
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Error', `<pre>${escape(JSON.stringify(out))}</pre>`);
  },
});

const readForm = (req) => new Promise((resolve) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => resolve(new URLSearchParams(body)));
});

const handle = provider.callback();
http.createServer(async (req, res) => {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(req.url.split('?')[0]);
  if (!match) {
    handle(req, res);
    return;
  }

  try {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'consent') {
      // First-party client: consent is granted without asking, as a company's provider would for its own portal.
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      grant.addOIDCScope('openid profile roles');
      grant.addOIDCClaims(['name', 'roles']);
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      return;
    }

    if (match[2] && req.method === 'POST') {
      const account = (await readForm(req)).get('account');
      if (!accounts[account]) {
        res.writeHead(400, { 'content-type': 'text/html' }).end(page('Unknown account', escape(account)));
        return;
      }

      await provider.interactionFinished(req, res, { login: { accountId: account, amr: accounts[account].amr } }, { mergeWithLastSubmission: false });
      return;
    }

    res.writeHead(200, { 'content-type': 'text/html' }).end(page('Sign in at the test provider',
      `<form method="post" action="/interaction/${details.uid}/login"><label for="account">Account</label>`
      + `<input id="account" name="account"><button type="submit">Sign in</button></form>`));
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  }
}).listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
