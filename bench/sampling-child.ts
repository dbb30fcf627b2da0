// Child process for the sampling figures: warms both sides up, takes the repetitions asked for and prints their figures.
import { roundsInProcess } from './sampling.js';

const [firstRep, reps] = process.argv.slice(2).map(Number);
if (firstRep === undefined || reps === undefined || !Number.isInteger(firstRep) || !Number.isInteger(reps) || reps < 1)
  throw new Error('usage: sampling-child <first repetition> <repetitions>');
const samples = await roundsInProcess(firstRep, reps);
// Exits once the line is out: a keep-alive socket of the model client must not hold the process open.
process.stdout.write(`${JSON.stringify({ samples })}\n`, () => process.exit(0));
