import { createApp } from 'vue';
import App from './App.vue';
import { readBoot } from './boot.ts';

// The subtitle editor island: mounts on the editor page's element, which also carries its data.
const element = document.getElementById('subtitle-editor');
if (element) {
  const boot = readBoot(element);
  element.replaceChildren();
  createApp(App, { boot }).mount(element);
}
