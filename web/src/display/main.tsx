import { render } from 'preact';
import '../shared/base.css';
render(<p>display</p>, document.getElementById('app')!);
