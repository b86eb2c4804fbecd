// Every lesson against the real kernel with the node runtime (Linux; random ports).
import { lessonSuite } from './lessonsSuite';

lessonSuite('node');
