import { Command } from 'commander';
import { runProgram } from './cli-output.js';
import { verifyCommand } from './verify.js';

// `rcenter verify …` as bin/rcenter.js runs it: the program with only that command, so a reader
// checking a center loads neither the database drivers nor the web app (≈ 80 MB less memory).
// `rcenter --help` (index.ts) lists it with the others.
await runProgram(new Command('rcenter').showHelpAfterError().addCommand(verifyCommand()));
