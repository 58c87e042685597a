import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Spanish keywords; accents are folded away because many people type without them. "serie" is
 * deliberately absent (TV series far more often than a number series), and "primo" (cousin)
 * counts only in "número primo".
 */
export const spanishKeywords: LanguageKeywords = {
  language: "es",
  groups: [
    {
      role: "code",
      strength: "strong",
      words: ["base de datos", "bases de datos", "compilador*", "expresión regular", "expresiones regulares", "línea de comandos", "escribe una función", "escribe un programa", "escribe un script", "código fuente", "mensaje de error"],
    },
    {
      role: "code",
      strength: "medium",
      words: ["código*", "bucle*", "compila*", "depura*", "repositorio*", "algoritmo*", "recursiv*", "comando*", "despliegue*", "desplegar", "función", "funciones", "variable*", "consulta sql", "programar"],
    },
    {
      role: "code",
      strength: "weak",
      words: ["error*", "consulta*", "arreglo*", "servidor*", "programación", "librería*", "biblioteca*", "diccionario*", "método*", "objeto*", "cadena*", "instal*", "archivo*", "carpeta*", "aplicación*", "página web"],
    },
    {
      role: "logic",
      strength: "strong",
      words: [
        "ecuación*", "ecuaciones", "derivada*", "integral*", "demuestra*", "demostra*", "demostración*", "probabilidad*", "acertijo*", "adivinanza*", "rompecabezas", "número primo*", "números primos", "raíz cuadrada",
        "siguiente número", "desviación estándar", "desviación típica", "varianza", "teorema*", "inducción", "de cuántas maneras", "de cuántas formas", "factorial*", "permutaci*", "logaritmo*",
      ],
    },
    {
      role: "logic",
      strength: "medium",
      words: [
        "resuelve", "resuélve*", "calcula*", "cálculo*", "porcentaje*", "por ciento", "cuánto es", "cuánto da", "triángulo*", "impar", "impares", "números pares", "suma de", "lógica", "matriz", "matrices", "mediana", "fracci*", "combinaci*",
        "por lo tanto", "por consiguiente", "área", "perímetro", "hipotenusa", "circunferencia", "velocidad", "km/h", "simplifica*", "álgebra", "geometría", "trigonometría", "velocidad media", "años tiene",
      ],
    },
    {
      role: "logic",
      strength: "weak",
      words: ["resolver", "cuántos", "cuántas", "cuánto", "círculo*", "doble de", "triple de", "mitad de", "promedio", "límite*", "dados", "moneda*", "edad*", "número*", "matemática*", "suma*", "total", "resto", "descuento*"],
    },
    {
      role: "chat",
      strength: "strong",
      words: ["hola*", "buenas", "buenos días", "buenas noches", "buenas tardes", "qué tal", "cómo estás", "cómo andas", "gracias", "muchas gracias", "adiós", "hasta luego"],
    },
    {
      role: "chat",
      strength: "medium",
      words: [
        "recomiend*", "recomiénda*", "consejo*", "opinas", "qué piensas", "vale la pena", "jefe", "cansad*", "triste*", "aburrid*", "estresad*", "sueldo*", "salario*", "entrevista*", "novia", "novio", "amig*", "cumple*",
        "poema*", "cuento*", "chiste*", "canción*", "película*", "libro*", "viaje*", "receta*", "traduc*", "bootcamp*", "carrera*", "estudiar",
      ],
    },
    {
      role: "chat",
      strength: "weak",
      words: ["trabajo*", "mensaje*", "serie*", "vida", "familia", "crack", "capital"],
    },
    {
      role: "search",
      strength: "strong",
      words: ["tipo de cambio", "pronóstico del tiempo", "qué tiempo hará", "qué tiempo hace", "el tiempo en", "clima en", "últimas noticias", "noticias de hoy", "precio del dólar", "a cuánto está", "resultados de las elecciones", "resultado del partido", "en vivo", "cotización*", "bolsa de valores", "tabla de posiciones", "precio de la luz", "taquilla"],
    },
    {
      role: "search",
      strength: "medium",
      words: ["noticias", "clima", "precio actual", "elecciones", "quién ganó", "cómo quedó", "cómo va", "marcador", "bolsa", "acciones de", "nueva temporada", "cuándo sale", "estreno*", "tráfico", "encuesta*", "va a llover", "lloverá", "huelga*", "qué está pasando"],
    },
    { role: "search", strength: "weak", words: ["precio*", "partido", "resultado*", "dólar", "euro", "clasificación", "lluvia"] },
    { role: "search", strength: "hint", words: ["ahora mismo", "actualmente", "esta semana", "hoy", "mañana", "ayer", "anoche", "ahora", "actual", "último", "última", "últimos", "este año", "próximo", "próxima"] },
  ],
};
