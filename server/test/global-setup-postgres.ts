import { setupPostgres } from './global-setup.js';

export default setupPostgres;
