import { render } from 'preact';
import { App } from './app';
import { PortalApp } from './portal';
import { t } from './i18n';
import { useRoute } from './state';
import './styles.css';

document.title = t('app.title');
/** The customer portal lives under #/portal; everything else is the console. */
function Root() {
  const route = useRoute();
  return route.parts[0] === 'portal' ? <PortalApp /> : <App />;
}

render(<Root />, document.getElementById('app')!);
