// Every lesson against the real kernel with the python runtime (Linux; random ports).
import { lessonSuite } from './lessonsSuite';

lessonSuite('python');
