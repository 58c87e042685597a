import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Portuguese, Brazilian and European. Accents are folded, so "código" and "codigo" are one entry.
 * "tempo" (time and weather) counts for search only in "previsão do tempo" and "tempo em"; a
 * "programador" or "namorado" talked about is conversation, not a programming request.
 */
export const portugueseKeywords: LanguageKeywords = {
  language: "pt",
  groups: [
    {
      role: "code",
      strength: "strong",
      words: ["banco de dados", "bancos de dados", "código-fonte", "código fonte", "linha de comando", "mensagem de erro", "escreva uma função", "escreva um programa", "escreva um código", "expressão regular", "lista encadeada"],
    },
    {
      role: "code",
      strength: "medium",
      words: ["código*", "função", "funções", "variável", "variáveis", "algoritmo*", "compilar", "compilador*", "depurar", "repositório*", "laço*", "programar", "programação", "tupla*", "consulta sql"],
    },
    { role: "code", strength: "weak", words: ["erro*", "servidor*", "biblioteca*", "instalar", "arquivo*", "pasta*", "tabela*", "dicionário*", "inverter", "aplicativo*"] },
    {
      role: "logic",
      strength: "strong",
      words: ["equação*", "equações", "derivada*", "integral*", "probabilidade*", "demonstre*", "prove que", "teorema*", "número primo*", "números primos", "raiz quadrada", "anagrama*", "permutaç*", "combinaç*", "fatorial", "logaritmo*", "charada*", "enigma*", "de quantas maneiras", "de quantas formas"],
    },
    {
      role: "logic",
      strength: "medium",
      words: ["calcule*", "calcular", "calcula", "resolva*", "resolver", "porcentagem", "por cento", "área", "perímetro", "triângulo*", "fração*", "frações", "divisíve*", "múltiplo*", "em quanto tempo", "dobro", "triplo", "soma", "média", "dados", "velocidade média", "por hora"],
    },
    { role: "logic", strength: "weak", words: ["quantos", "quantas", "metade", "números", "número", "pares", "ímpares", "juntas", "juntos", "desconto*", "resto", "quantos anos", "quanto terá", "quanto tempo"] },
    { role: "chat", strength: "strong", words: ["oi", "olá", "tudo bem", "bom dia", "boa tarde", "boa noite", "obrigado", "obrigada", "valeu", "tchau"] },
    {
      role: "chat",
      strength: "medium",
      words: ["recomenda*", "conselho*", "poema*", "poesia*", "história*", "piada*", "livro*", "filme*", "série*", "namorad*", "saudade", "triste", "cansad*", "entediad*", "como lidar", "programador*"],
    },
    { role: "chat", strength: "weak", words: ["amigo*", "amiga*", "família", "trabalho", "gato*", "cachorro*"] },
    {
      role: "search",
      strength: "strong",
      words: ["previsão do tempo", "tempo em", "cotação*", "últimas notícias", "notícias de hoje", "resultado do jogo", "quem ganhou", "preço da gasolina", "bolsa de valores", "taxa de câmbio", "placar", "bilheteria", "vai chover"],
    },
    { role: "search", strength: "medium", words: ["notícias", "previsão", "eleição", "eleições", "lançamento*", "ações", "nova temporada", "estreia*", "trânsito", "selic", "brasileirão", "em primeiro", "tabela do", "greve*", "o que está acontecendo"] },
    { role: "search", strength: "weak", words: ["jogo", "dólar", "euro", "preço*", "chuva", "classificação"] },
    { role: "search", strength: "hint", words: ["agora mesmo", "atualmente", "hoje", "agora", "amanhã", "ontem", "atual", "este ano", "próximo", "próxima"] },
  ],
};
