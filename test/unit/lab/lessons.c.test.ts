// Every lesson against the real kernel with the c runtime (Linux; random ports).
import { lessonSuite } from './lessonsSuite';

lessonSuite('c');
