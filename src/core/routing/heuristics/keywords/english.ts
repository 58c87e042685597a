import type { LanguageKeywords } from "./keyword-group.js";

export const englishKeywords: LanguageKeywords = {
  language: "en",
  groups: [
    {
      role: "code",
      strength: "strong",
      words: [
        "stack trace*", "stacktrace*", "traceback", "compile error*", "compiler error*", "compilation error*", "syntax error*", "runtime error*", "time complexity", "space complexity", "big o", "linked list*", "binary tree*", "binary search",
        "hash map*", "hashmap*", "hash table*", "pull request*", "merge conflict*", "unit test*", "one-liner*", "regular expression*", "code snippet*", "source code", "null pointer*", "race condition*", "memory leak*", "infinite loop*",
        "deadlock*", "refactor*", "debug*", "data structure*", "sorting algorithm*", "write a function", "write a script", "write a program", "write code", "shell script*", "command line",
        "for loop*", "while loop*", "garbage collect*", "dependency tree", "environment variable*", "type error*", "exit code", "status code",
      ],
    },
    {
      role: "code",
      strength: "medium",
      words: [
        "bug", "bugs", "buggy", "compile*", "compiler*", "runtime", "array*", "endpoint*", "database*", "dependency", "dependencies", "deploy*", "script*", "repo", "repos", "repository", "repositories", "closure*", "callback*",
        "algorithm*", "exception*", "syntax", "parse", "parser", "parsing", "recursion", "recursive*", "boolean*", "variable*", "function*", "method*", "commit*", "query", "queries", "schema*", "framework*", "module*", "library", "libraries",
        "package*", "terminal", "container*", "install*", "programming", "coding", "my code", "this code", "the code",
      ],
    },
    {
      role: "code",
      strength: "weak",
      words: ["code", "error", "errors", "crash*", "loop", "loops", "string*", "integer*", "class", "classes", "object*", "server*", "shell", "thread*", "print", "output", "input", "implement*", "program", "programs", "developer*", "software"],
    },
    {
      role: "logic",
      strength: "strong",
      words: [
        "solve for", "equation*", "derivative*", "differentiate", "antiderivative*", "integral*", "probabilit*", "expected value", "prove that", "proof", "proofs", "theorem*", "lemma*", "by induction", "induction", "eigenvalue*", "eigenvector*",
        "determinant*", "square root*", "cube root*", "factorial*", "prime number*", "irrational", "permutation*", "how many ways", "riddle*", "logic puzzle*", "brain teaser*", "syllogism*", "truth table*", "quadratic*",
        "polynomial*", "logarithm*", "geometric series", "arithmetic series", "geometric sequence", "arithmetic sequence", "what comes next", "next number", "standard deviation", "variance", "hypotenuse", "circumference",
        "compound interest", "fibonacci", "greatest common divisor", "least common multiple", "if and only if", "iff", "monty hall", "pigeonhole", "modus ponens", "tautolog*", "contrapositive",
      ],
    },
    {
      role: "logic",
      strength: "medium",
      words: [
        "calculate*", "calculation*", "solve", "percent*", "percentage*", "arithmetic", "algebra*", "calculus", "geometry", "trigonometr*", "triangle*", "radius", "diameter", "area of", "volume of", "perimeter", "simplify", "fraction*",
        "ratio", "squared", "cubed", "to the power of", "mph", "interest rate*", "dice roll*", "roll a die", "roll the dice", "primes", "fair coin", "coin flip*", "flip a coin", "deck of cards", "therefore", "it follows", "premise*", "contradiction", "logically", "how long would it take", "how long will it take", "how long would",
        "sum of", "product of", "mean of", "median", "matrix", "matrices", "divisible", "even number*", "odd number*", "gcd", "lcm", "puzzle*", "combinatori*", "combination*", "sequence", "odds", "math problem*", "word problem*", "twice as", "three times as", "times as much", "times as many", "half as", "average speed", "remainder", "discount*", "how many different", "in how many ways",
      ],
    },
    {
      role: "logic",
      strength: "weak",
      words: ["how many", "how much", "math", "maths", "mathematical*", "compute", "integrate", "limit", "angle*", "vector*", "average", "dice", "prime", "valid", "argument", "conclusion", "statement*", "number*", "total", "in total", "twice", "half", "speed", "modulo", "exactly", "at least", "at most", "hence", "years old", "more than", "less than", "together"],
    },
    {
      role: "chat",
      strength: "strong",
      words: [
        "hi", "hello", "hey", "heya", "hiya", "yo", "sup", "gm", "gn", "good morning", "good night", "good evening", "thanks", "thank you", "thx", "ty", "how are you", "how's it going", "how is it going", "what's up", "whats up",
        "wassup", "bye", "goodbye", "see you",
      ],
    },
    {
      role: "chat",
      strength: "medium",
      words: [
        "recommend*", "advice", "what do you think", "your opinion", "in your opinion", "is it worth", "worth it", "bored", "lonely", "sad", "tired", "exhausted", "annoyed", "nervous", "anxious", "stressed", "depressed", "upset", "angry",
        "poem*", "story", "stories", "joke*", "lyrics", "song*", "birthday*", "gift*", "movie*", "film*", "book", "books", "novel*", "tv show*", "anime", "travel*", "trip", "vacation", "things to do", "restaurant*", "recipe*",
        "translate*", "translation", "career*", "job", "jobs", "salary", "salaries", "interview*", "hiring", "resume", "boss", "coworker*", "colleague*", "roommate*", "girlfriend", "boyfriend", "wife", "husband", "favourite",
        "favorite", "who was", "who is", "capital of", "entertain*", "hype", "personally", "rude", "relationship*", "feel", "feeling*",
      ],
    },
    {
      role: "chat",
      strength: "weak",
      words: ["should i", "learn", "friend*", "family", "mom", "dad", "pet", "pets", "cat", "cats", "dog", "dogs", "name", "names", "fun", "life", "at work", "tonight", "weekend", "history"],
    },
    {
      role: "search",
      strength: "strong",
      words: [
        "weather", "weather forecast*", "exchange rate*", "latest news", "breaking news", "news today", "today's news", "headlines", "stock price*", "share price*", "election result*", "live score*", "final score",
        "release date", "latest version", "latest release", "gas price*", "fuel price*", "gold price*", "price of gold", "bitcoin price", "crypto price*", "forecast for", "box office",
      ],
    },
    {
      role: "search",
      strength: "medium",
      words: ["news", "forecast", "election*", "standings", "trending", "come out", "comes out", "coming out", "just released", "the fed", "next season", "new season", "premiere*", "traffic", "air quality", "next train", "next flight", "upcoming", "will it rain", "is it going to rain", "what's happening with", "strike"],
    },
    { role: "search", strength: "weak", words: ["who won", "stock", "stocks", "launch", "price", "score", "scores", "result", "results", "match", "game", "price of", "prices", "delays", "delayed"] },
    { role: "search", strength: "hint", words: ["right now", "currently", "at the moment", "this week", "this season", "last night", "today", "tomorrow", "yesterday", "now", "current", "latest", "recent", "recently", "live", "this year", "next"] },
  ],
};
