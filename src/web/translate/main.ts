import { createApp } from 'vue';
import App from './App.vue';
import { readTranslateBoot } from './boot.ts';

// The translation editor island: mounts on the page's element, which also carries its data. Until
// it mounts (or without script) the element shows the units read-only with the exchange files.
const element = document.getElementById('translate-editor');
if (element) {
  const boot = readTranslateBoot(element);
  element.replaceChildren();
  createApp(App, { boot }).mount(element);
}
