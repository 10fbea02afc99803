import { createKefuApp } from './create-app.ts';

createKefuApp().app.synth();
