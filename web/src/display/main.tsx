import { render } from 'preact';
import '../shared/base.css';
import './display.css';
import { App } from './App.js';

render(<App />, document.getElementById('app')!);
