import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';

test('OAuth settings: Wikimedia endpoints under a base URL, another provider by its endpoints, none by default', () => {
  assert.equal(loadConfig({}).oauth, undefined);
  const wikimedia = loadConfig({ OAUTH_CLIENT_ID: 'id', OAUTH_BASE_URL: 'https://meta.wikimedia.org/' }).oauth;
  assert.deepEqual(
    [wikimedia?.name, wikimedia?.issuer, wikimedia?.authorizeUrl, wikimedia?.tokenUrl, wikimedia?.profileUrl],
    [
      'Wikimedia',
      'https://meta.wikimedia.org',
      'https://meta.wikimedia.org/w/rest.php/oauth2/authorize',
      'https://meta.wikimedia.org/w/rest.php/oauth2/access_token',
      'https://meta.wikimedia.org/w/rest.php/oauth2/resource/profile',
    ],
  );
  assert.equal(wikimedia?.clientSecret, undefined, 'a public client without a secret');
  const other = loadConfig({
    OAUTH_CLIENT_ID: 'id',
    OAUTH_AUTHORIZE_URL: 'https://id.example.org/authorize',
    OAUTH_TOKEN_URL: 'https://id.example.org/token',
    OAUTH_PROFILE_URL: 'https://id.example.org/userinfo',
  }).oauth;
  assert.deepEqual([other?.name, other?.issuer], ['id.example.org', 'https://id.example.org']);
});

test('OAuth settings that cannot work stop the start with what to set', () => {
  assert.throws(() => loadConfig({ OAUTH_CLIENT_ID: 'id' }), /set OAUTH_BASE_URL .* or OAUTH_AUTHORIZE_URL/);
  assert.throws(
    () => loadConfig({ OAUTH_CLIENT_ID: 'id', OAUTH_BASE_URL: 'meta.wikimedia.org' }),
    /OAUTH_BASE_URL must be an http or https address/,
  );
});
