import { render } from 'preact';
import '../shared/base.css';
render(<p>desk</p>, document.getElementById('app')!);
