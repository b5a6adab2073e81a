import pkg from '../../package.json' with { type: 'json' };
import { INFORMATION_URI, TOOL_NAME } from '../core/report.js';

export const VERSION: string = pkg.version;

export const TOOL = { name: TOOL_NAME, version: VERSION, informationUri: INFORMATION_URI };
