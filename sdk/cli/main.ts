#!/usr/bin/env node
import { createSdkCommand } from './sdk-command.js';

await createSdkCommand().name('sleet-sdk').parseAsync(process.argv);
