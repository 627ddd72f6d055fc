import { render } from 'preact';
import '../shared/base.css';
render(<p>admin</p>, document.getElementById('app')!);
