/**
 * A small seeded random source and the Norwegian vocabulary of the generated data set, so two runs
 * (and the SQLite and PostgreSQL copies of one run) get data of the same shape.
 */

/** mulberry32: fast, 32-bit state, good enough for test data (never for secrets). */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** One of the keys, chosen by weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
}

export const firstNames = [
  'Ola',
  'Kari',
  'Per',
  'Anne',
  'Jan',
  'Ingrid',
  'Lars',
  'Sigrid',
  'Bjørn',
  'Solveig',
  'Knut',
  'Åse',
  'Øystein',
  'Marit',
  'Håkon',
  'Ragnhild',
  'Erik',
  'Nora',
  'Magnus',
  'Emma',
  'Sindre',
  'Ida',
  'Terje',
  'Hege',
  'Geir',
  'Liv',
  'Trond',
  'Tone',
  'Arne',
  'Gro',
  'Jørgen',
  'Frøydis',
  'Ståle',
  'Kjersti',
] as const;

export const lastNames = [
  'Hansen',
  'Johansen',
  'Olsen',
  'Larsen',
  'Andersen',
  'Pedersen',
  'Nilsen',
  'Kristiansen',
  'Jensen',
  'Karlsen',
  'Johnsen',
  'Pettersen',
  'Eriksen',
  'Berg',
  'Haugen',
  'Hagen',
  'Johannessen',
  'Andreassen',
  'Jacobsen',
  'Dahl',
  'Jørgensen',
  'Halvorsen',
  'Henriksen',
  'Lund',
  'Sørensen',
  'Strøm',
  'Bakken',
  'Kristoffersen',
  'Moen',
  'Gundersen',
  'Ødegård',
  'Løken',
  'Sæther',
  'Aasen',
  'Bråthen',
  'Solberg',
] as const;

export const streets = [
  'Storgata',
  'Kirkeveien',
  'Skolegata',
  'Strandveien',
  'Bjørkeveien',
  'Granveien',
  'Furuveien',
  'Solbakken',
  'Åsveien',
  'Nordre gate',
  'Søndre gate',
  'Møllebakken',
  'Fjellveien',
  'Sjøgata',
  'Prestegårdsveien',
  'Kongens gate',
  'Dronningens gate',
  'Tårnveien',
  'Liaveien',
  'Bekkeveien',
  'Øvre Slottsgate',
  'Ringveien',
  'Blåbærstien',
  'Lønneveien',
  'Håkon VIIs gate',
  'Ekornveien',
] as const;

/** Postal code and city, spread over the country. */
export const places = [
  ['0150', 'Oslo'],
  ['0361', 'Oslo'],
  ['0557', 'Oslo'],
  ['0875', 'Oslo'],
  ['1337', 'Sandvika'],
  ['1405', 'Langhus'],
  ['1530', 'Moss'],
  ['1607', 'Fredrikstad'],
  ['2000', 'Lillestrøm'],
  ['2317', 'Hamar'],
  ['2609', 'Lillehammer'],
  ['3015', 'Drammen'],
  ['3117', 'Tønsberg'],
  ['3211', 'Sandefjord'],
  ['3616', 'Kongsberg'],
  ['3717', 'Skien'],
  ['4006', 'Stavanger'],
  ['4313', 'Sandnes'],
  ['4612', 'Kristiansand'],
  ['4836', 'Arendal'],
  ['5003', 'Bergen'],
  ['5147', 'Fyllingsdalen'],
  ['5527', 'Haugesund'],
  ['6002', 'Ålesund'],
  ['6413', 'Molde'],
  ['7010', 'Trondheim'],
  ['7600', 'Levanger'],
  ['8006', 'Bodø'],
  ['8514', 'Narvik'],
  ['9008', 'Tromsø'],
  ['9600', 'Hammerfest'],
  ['9900', 'Kirkenes'],
] as const;

export const damageDescriptions = [
  'Vannlekkasje fra oppvaskmaskin på kjøkkenet',
  'Fuktskade i kjeller etter kraftig regn',
  'Brann i komfyr, røykskade i stue og gang',
  'Stormskade på tak, løse takstein',
  'Rørbrudd på bad i andre etasje',
  'Tilbakeslag fra kommunalt avløp',
  'Lynnedslag, skade på elektrisk anlegg',
  'Frostsprengt rør i yttervegg',
  'Innbrudd, knust terrassedør',
  'Lekkasje fra varmtvannsbereder',
  'Setningsskade med sprekker i grunnmur',
  'Vann inn gjennom vindu etter uvær',
] as const;

export const repairTaskNames = [
  'Riving og uttørking',
  'Tømrerarbeid',
  'Rørleggerarbeid',
  'Elektrikerarbeid',
  'Maling og sparkling',
  'Nytt gulv',
  'Flislegging bad',
  'Taktekking',
  'Rengjøring etter brann',
  'Montering av kjøkken',
] as const;

export const partnerNames = [
  'Bygg og Fukt AS',
  'Takst Nord AS',
  'Rørlegger Hansen AS',
  'Skadeservice Vest AS',
  'Elektro Øst AS',
  'Malermester Berg AS',
  'Tømrer Løken AS',
  'Fuktkontroll Midt AS',
  'Brannsanering Sør AS',
  'Totalentreprenør Fjord AS',
  'Byggtakst Oslo AS',
  'Flis og Bad AS',
] as const;

export const messageTexts = [
  'Hei! Når kommer håndverkerne?',
  'Takk for oppdateringen.',
  'Kan dere ringe meg i morgen formiddag?',
  'Vi er bortreist neste uke, nøkkel ligger hos naboen.',
  'Det har kommet mer vann inn i kjelleren.',
  'Hei, vi har sendt over bildene. Hilsen oss.',
  'Skaden er nå vurdert, og reparasjonen starter snart.',
  'Takstmannen kommer tirsdag kl. 10.',
  'Vi har mottatt dokumentasjonen din, takk.',
] as const;

export const reminderTexts = [
  'Følg opp takstrapport',
  'Ring kunde om tilgang til bolig',
  'Sjekk fremdrift hos entreprenør',
  'Purre på tilbud',
  'Vurder egenandel',
] as const;
