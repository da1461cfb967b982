/**
 * Real Chinese place names for generated receivers (NBS 2023 divisions, API-FACTS §15), chosen to
 * cover the cases platforms get wrong: 直辖市 (province = city), 省直辖县级市 such as 河南省济源市
 * (no prefecture), and prefecture cities without districts such as 东莞市 (straight to towns).
 * `district: ''` marks the last two. Streets are real roads in each district.
 */
export interface DistrictData {
  name: string;
  towns: readonly string[];
  streets: readonly string[];
}

export interface CityData {
  city: string;
  postalCode: string;
  districts: readonly DistrictData[];
}

export interface ProvinceData {
  province: string;
  /** Rough share of orders, for realistic spread. */
  weight: number;
  cities: readonly CityData[];
}

export const MUNICIPALITIES: ReadonlySet<string> = new Set(['北京市', '天津市', '上海市', '重庆市']);

/** County-level cities governed directly by the province (no prefecture above them). */
export const PROVINCE_ADMINISTERED_CITIES: ReadonlySet<string> = new Set([
  '济源市',
  '仙桃市',
  '潜江市',
  '天门市',
  '琼海市',
  '石河子市',
]);

/** Prefecture-level cities without county-level districts. */
export const CITIES_WITHOUT_DISTRICTS: ReadonlySet<string> = new Set([
  '东莞市',
  '中山市',
  '儋州市',
  '嘉峪关市',
]);

export const CHINA_REGIONS: readonly ProvinceData[] = [
  {
    province: '北京市',
    weight: 8,
    cities: [
      {
        city: '北京市',
        postalCode: '100020',
        districts: [
          {
            name: '朝阳区',
            towns: ['望京街道', '三里屯街道'],
            streets: ['望京街', '工人体育场北路', '酒仙桥路'],
          },
          {
            name: '海淀区',
            towns: ['中关村街道', '学院路街道'],
            streets: ['中关村大街', '学院路', '知春路'],
          },
          { name: '东城区', towns: ['东华门街道'], streets: ['王府井大街', '东四北大街'] },
        ],
      },
    ],
  },
  {
    province: '上海市',
    weight: 9,
    cities: [
      {
        city: '上海市',
        postalCode: '200120',
        districts: [
          { name: '浦东新区', towns: ['陆家嘴街道', '张江镇'], streets: ['世纪大道', '张江路', '银城中路'] },
          { name: '徐汇区', towns: ['徐家汇街道'], streets: ['漕溪北路', '肇嘉浜路'] },
          { name: '静安区', towns: ['南京西路街道'], streets: ['南京西路', '延安中路'] },
        ],
      },
    ],
  },
  {
    province: '天津市',
    weight: 3,
    cities: [
      {
        city: '天津市',
        postalCode: '300041',
        districts: [
          { name: '和平区', towns: ['小白楼街道'], streets: ['南京路', '解放北路'] },
          { name: '南开区', towns: ['长虹街道'], streets: ['鞍山西道', '黄河道'] },
        ],
      },
    ],
  },
  {
    province: '重庆市',
    weight: 4,
    cities: [
      {
        city: '重庆市',
        postalCode: '400010',
        districts: [
          { name: '渝中区', towns: ['解放碑街道'], streets: ['民族路', '邹容路'] },
          { name: '江北区', towns: ['观音桥街道'], streets: ['建新北路', '北城天街'] },
        ],
      },
    ],
  },
  {
    province: '浙江省',
    weight: 10,
    cities: [
      {
        city: '杭州市',
        postalCode: '310012',
        districts: [
          { name: '西湖区', towns: ['三墩镇', '文新街道'], streets: ['文三路', '古墩路', '文一西路'] },
          { name: '余杭区', towns: ['五常街道', '仓前街道'], streets: ['五常大道', '文一西路'] },
        ],
      },
      {
        city: '宁波市',
        postalCode: '315100',
        districts: [{ name: '鄞州区', towns: ['首南街道'], streets: ['天童南路', '四明中路'] }],
      },
      {
        city: '金华市',
        postalCode: '322000',
        districts: [{ name: '义乌市', towns: ['稠城街道', '福田街道'], streets: ['工人北路', '福田路'] }],
      },
    ],
  },
  {
    province: '江苏省',
    weight: 9,
    cities: [
      {
        city: '南京市',
        postalCode: '210008',
        districts: [
          { name: '鼓楼区', towns: ['湖南路街道'], streets: ['中山北路', '湖南路'] },
          { name: '江宁区', towns: ['秣陵街道'], streets: ['双龙大道', '胜太路'] },
        ],
      },
      {
        city: '苏州市',
        postalCode: '215000',
        districts: [
          { name: '姑苏区', towns: ['平江街道'], streets: ['干将东路', '人民路'] },
          { name: '吴中区', towns: ['长桥街道'], streets: ['东吴北路'] },
        ],
      },
    ],
  },
  {
    province: '广东省',
    weight: 14,
    cities: [
      {
        city: '广州市',
        postalCode: '510620',
        districts: [
          {
            name: '天河区',
            towns: ['天河南街道', '石牌街道'],
            streets: ['天河路', '体育西路', '中山大道西'],
          },
          { name: '白云区', towns: ['三元里街道'], streets: ['机场路'] },
        ],
      },
      {
        city: '深圳市',
        postalCode: '518057',
        districts: [
          { name: '南山区', towns: ['粤海街道'], streets: ['科技园南路', '深南大道'] },
          { name: '福田区', towns: ['福田街道'], streets: ['福华路'] },
        ],
      },
      {
        city: '东莞市',
        postalCode: '523850',
        districts: [{ name: '', towns: ['长安镇', '虎门镇'], streets: ['长安振安中路', '虎门大道'] }],
      },
      {
        city: '中山市',
        postalCode: '528400',
        districts: [{ name: '', towns: ['石岐街道', '小榄镇'], streets: ['孙文中路', '升平中路'] }],
      },
    ],
  },
  {
    province: '河南省',
    weight: 5,
    cities: [
      {
        city: '郑州市',
        postalCode: '450000',
        districts: [{ name: '金水区', towns: ['经八路街道'], streets: ['花园路', '农业路'] }],
      },
      {
        city: '济源市',
        postalCode: '459000',
        districts: [{ name: '', towns: ['沁园街道', '济水街道'], streets: ['济源大道', '沁园路'] }],
      },
    ],
  },
  {
    province: '湖北省',
    weight: 5,
    cities: [
      {
        city: '武汉市',
        postalCode: '430070',
        districts: [
          { name: '洪山区', towns: ['珞南街道'], streets: ['珞喻路', '雄楚大道'] },
          { name: '武昌区', towns: ['中南路街道'], streets: ['中南路'] },
        ],
      },
      {
        city: '仙桃市',
        postalCode: '433000',
        districts: [{ name: '', towns: ['沙嘴街道', '干河街道'], streets: ['仙桃大道', '汉江路'] }],
      },
      {
        city: '潜江市',
        postalCode: '433100',
        districts: [{ name: '', towns: ['园林街道'], streets: ['章华北路'] }],
      },
      {
        city: '天门市',
        postalCode: '431700',
        districts: [{ name: '', towns: ['竟陵街道'], streets: ['钟惺大道'] }],
      },
    ],
  },
  {
    province: '海南省',
    weight: 2,
    cities: [
      {
        city: '海口市',
        postalCode: '570203',
        districts: [{ name: '美兰区', towns: ['海府街道'], streets: ['海府路'] }],
      },
      {
        city: '琼海市',
        postalCode: '571400',
        districts: [{ name: '', towns: ['嘉积镇'], streets: ['金海路'] }],
      },
      {
        city: '儋州市',
        postalCode: '571700',
        districts: [{ name: '', towns: ['那大镇'], streets: ['中兴大街'] }],
      },
    ],
  },
  {
    province: '四川省',
    weight: 6,
    cities: [
      {
        city: '成都市',
        postalCode: '610041',
        districts: [
          { name: '武侯区', towns: ['玉林街道'], streets: ['科华北路', '人民南路'] },
          { name: '锦江区', towns: ['春熙路街道'], streets: ['红星路'] },
        ],
      },
    ],
  },
  {
    province: '甘肃省',
    weight: 1,
    cities: [
      {
        city: '嘉峪关市',
        postalCode: '735100',
        districts: [{ name: '', towns: ['五一街道', '新华街道'], streets: ['新华中路', '雄关东路'] }],
      },
    ],
  },
  {
    province: '新疆维吾尔自治区',
    weight: 1,
    cities: [
      {
        city: '乌鲁木齐市',
        postalCode: '830000',
        districts: [{ name: '天山区', towns: ['燕儿窝街道'], streets: ['解放南路'] }],
      },
      {
        city: '石河子市',
        postalCode: '832000',
        districts: [{ name: '', towns: ['新城街道'], streets: ['北一路'] }],
      },
    ],
  },
  {
    province: '广西壮族自治区',
    weight: 2,
    cities: [
      {
        city: '南宁市',
        postalCode: '530021',
        districts: [{ name: '青秀区', towns: ['新竹街道'], streets: ['民族大道'] }],
      },
    ],
  },
  {
    province: '内蒙古自治区',
    weight: 1,
    cities: [
      {
        city: '呼和浩特市',
        postalCode: '010020',
        districts: [{ name: '赛罕区', towns: ['昭乌达路街道'], streets: ['昭乌达路'] }],
      },
    ],
  },
];

/** Foreign receivers for cross-border orders, with each market's currency. */
export interface ForeignAddress {
  country: string;
  currency: string;
  province: string;
  city: string;
  detail: string;
  postalCode: string;
  phone: string;
  names: readonly string[];
}

export const FOREIGN_ADDRESSES: readonly ForeignAddress[] = [
  {
    country: 'US',
    currency: 'USD',
    province: 'CA',
    city: 'Los Angeles',
    detail: '1234 Sunset Blvd Apt 5',
    postalCode: '90028',
    phone: '+1 213-555-0147',
    names: ['Emily Johnson', 'Michael Brown', 'Sarah Davis'],
  },
  {
    country: 'US',
    currency: 'USD',
    province: 'NY',
    city: 'New York',
    detail: '350 5th Ave Floor 21',
    postalCode: '10118',
    phone: '+1 212-555-0199',
    names: ['David Miller', 'Jessica Wilson'],
  },
  {
    country: 'GB',
    currency: 'GBP',
    province: 'England',
    city: 'London',
    detail: '221B Baker Street',
    postalCode: 'NW1 6XE',
    phone: '+44 20 7946 0958',
    names: ['Oliver Smith', 'Amelia Taylor'],
  },
  {
    country: 'DE',
    currency: 'EUR',
    province: 'Berlin',
    city: 'Berlin',
    detail: 'Friedrichstraße 43',
    postalCode: '10117',
    phone: '+49 30 901820',
    names: ['Lukas Müller', 'Anna Schmidt'],
  },
  {
    country: 'JP',
    currency: 'JPY',
    province: '東京都',
    city: '渋谷区',
    detail: '神南1-2-3 渋谷ビル5F',
    postalCode: '150-0041',
    phone: '+81 3-1234-5678',
    names: ['佐藤 美咲', '鈴木 大翔'],
  },
  {
    country: 'SG',
    currency: 'SGD',
    province: 'Singapore',
    city: 'Singapore',
    detail: '10 Anson Road #12-03',
    postalCode: '079903',
    phone: '+65 8123 4567',
    names: ['Tan Wei Ming', 'Priya Nair'],
  },
  {
    country: 'MY',
    currency: 'MYR',
    province: 'Wilayah Persekutuan',
    city: 'Kuala Lumpur',
    detail: 'No. 8, Jalan Bukit Bintang',
    postalCode: '55100',
    phone: '+60 12-345 6789',
    names: ['Nur Aisyah', 'Lim Chee Keong'],
  },
  {
    country: 'VN',
    currency: 'VND',
    province: 'Hồ Chí Minh',
    city: 'Quận 1',
    detail: '45 Lê Lợi, Phường Bến Nghé',
    postalCode: '700000',
    phone: '+84 90 123 4567',
    names: ['Nguyễn Văn An', 'Trần Thị Bích'],
  },
  {
    country: 'TH',
    currency: 'THB',
    province: 'Bangkok',
    city: 'Pathum Wan',
    detail: '999 Rama I Road',
    postalCode: '10330',
    phone: '+66 81 234 5678',
    names: ['Somchai Sukprasert', 'Nattaya Wongsa'],
  },
  {
    country: 'PH',
    currency: 'PHP',
    province: 'Metro Manila',
    city: 'Makati',
    detail: '6750 Ayala Avenue',
    postalCode: '1226',
    phone: '+63 917 123 4567',
    names: ['Maria Santos', 'Juan dela Cruz'],
  },
];

/**
 * Receivers of the markets only a single-market demo shop sells to (not drawn for other platforms'
 * cross-border orders, whose seeded draws stay as they were).
 */
export const MARKET_ADDRESSES: readonly ForeignAddress[] = [
  {
    country: 'BR',
    currency: 'BRL',
    province: 'SP',
    city: 'São Paulo',
    detail: 'Avenida Paulista, 1578 - Bela Vista',
    postalCode: '01310-200',
    phone: '+55 11 3003-4000',
    names: ['Ana Souza', 'Lucas Oliveira'],
  },
];
