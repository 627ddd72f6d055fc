import { render } from 'preact';
import { appRoot } from '../shared/app-root.js';
import '../shared/base.css';
import './kiosk.css';
import { App } from './App.js';

render(<App />, appRoot());
